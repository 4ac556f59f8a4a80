"""The built site loads nothing from the network: no script, stylesheet, font, frame or image.

``python docs/check_site.py docs/_build/html`` (run by ``make docs`` after the build) lists every
page that loads a resource from an ``http(s)://`` or protocol-relative ``//host/...`` URL and exits
non-zero if there is one. Links (``<a href>``) to papers and other sites are fine: they load
nothing until a reader follows them. Stylesheets shipped with the site are read too, for
``@import`` and ``url(...)`` (web fonts).
"""

import pathlib
import re
import sys
from html.parser import HTMLParser

# Element -> attributes whose URL the browser loads with the page.
LOADED = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "input": ("src",),
}
# <link rel=...> values that load their href (stylesheets, preloaded fonts and scripts, icons).
LOADED_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "apple-touch-icon", "manifest"}
# url(...) and @import "..." in CSS: the only place a web font's address can be.
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE | re.DOTALL)


def is_external(url):
    """True for ``http://``, ``https://`` and protocol-relative ``//host/...`` URLs."""
    url = url.strip().replace("\\", "/").lower()
    return url.startswith(("http://", "https://", "//"))


def _css_urls(text):
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_URL.finditer(text)]


def _srcset_urls(value):
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


class _Resources(HTMLParser):
    """Collects the URLs that a page loads (not the ones it links to)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        for name in LOADED.get(tag, ()):
            if name in attrs:
                self.urls += _srcset_urls(attrs[name]) if name == "srcset" else [attrs[name]]
        if tag == "link" and LOADED_RELS & set(attrs.get("rel", "").lower().split()):
            self.urls.append(attrs.get("href", ""))
        if "style" in attrs:
            self.urls += _css_urls(attrs["style"])
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += _css_urls(data)


def page_resources(html):
    """The URLs that one HTML page loads: scripts, stylesheets, fonts, frames, images, inline CSS."""
    parser = _Resources()
    parser.feed(html)
    parser.close()
    return parser.urls


def external_resources(html_dir):
    """``(page, url)`` for every resource of the site in ``html_dir`` that comes from the network.

    ``page`` is relative to ``html_dir``: an ``.html`` page, or a ``.css`` file of the site whose
    ``@import`` or ``url(...)`` points outside it.
    """
    root = pathlib.Path(html_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a directory: build the site first (make docs)")
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix == ".html":
            urls = page_resources(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".css":
            urls = _css_urls(path.read_text(encoding="utf-8", errors="replace"))
        else:
            continue
        page = path.relative_to(root).as_posix()
        found += [(page, url) for url in urls if is_external(url)]
    return found


def main(argv):
    if len(argv) != 1:
        print("usage: python docs/check_site.py HTML_DIR", file=sys.stderr)
        return 2
    try:
        found = external_resources(argv[0])
    except FileNotFoundError as exc:
        print(f"check_site: {exc}", file=sys.stderr)
        return 2
    for page, url in found:
        print(f"{page}: loads {url} from the network", file=sys.stderr)
    if found:
        pages = len({page for page, _ in found})
        print(f"check_site: {len(found)} external resource(s) on {pages} page(s) of {argv[0]}", file=sys.stderr)
        return 1
    print(f"check_site: every page of {argv[0]} loads its scripts, stylesheets and fonts from the site")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
