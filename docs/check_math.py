"""The formulas of a page were typeset: checks the DOM that a browser dumped after running MathJax.

``make docs-check`` renders ``divergences/kl.html`` in headless Chromium (``--dump-dom``) and runs
``python docs/check_math.py DOM_FILE``. It fails when MathJax produced no ``mjx-container``
element (MathJax did not load or did not run), when one of them holds a TeX error, or when the
visible text still has raw TeX delimiters ``\\[``, ``\\(`` or ``$$`` (formulas left as LaTeX).
"""

import sys
from html.parser import HTMLParser

DELIMITERS = ("\\[", "\\(", "$$")
# Not visible text: code and data of the page, and the source that MathJax keeps for screen readers.
HIDDEN = {"script", "style", "noscript", "template", "mjx-assistive-mml"}
# Elements without an end tag, which must not be counted as open.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Math(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.containers = 0
        self.errors = []
        self.text = []
        self._stack = []

    def handle_starttag(self, tag, attrs):
        if tag == "mjx-container":
            self.containers += 1
        if tag == "mjx-merror":
            self.errors.append(dict(attrs).get("data-mjx-error") or "TeX error")
        if tag not in VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if not HIDDEN & set(self._stack):
            self.text.append(data)


def check(dom):
    """The problems of a dumped DOM, as messages (none when its formulas were typeset)."""
    parser = _Math()
    parser.feed(dom)
    parser.close()
    problems = []
    if parser.containers == 0:
        problems.append("no mjx-container element: MathJax did not load or typeset nothing")
    problems += [f"MathJax could not typeset a formula: {error}" for error in parser.errors]
    text = " ".join(parser.text)
    for delimiter in DELIMITERS:
        at = text.find(delimiter)
        if at >= 0:
            context = " ".join(text[max(at - 30, 0) : at + 50].split())
            problems.append(f"raw TeX delimiter {delimiter} in the visible text: ...{context}...")
    return parser.containers, problems


def main(argv):
    if len(argv) != 1:
        print("usage: python docs/check_math.py DOM_FILE", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8", errors="replace") as f:
        containers, problems = check(f.read())
    for problem in problems:
        print(f"check_math: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"check_math: {containers} formulas typeset by MathJax (mjx-container), no raw TeX left")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
