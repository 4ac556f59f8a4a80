"""docs/check_site.py on small made-up sites: resources from the network are caught, links are not."""

import importlib.util
import pathlib

import pytest

SCRIPT = pathlib.Path(__file__).parents[2] / "docs" / "check_site.py"
spec = importlib.util.spec_from_file_location("check_site", SCRIPT)
check_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_site)


def _site(tmp_path, pages):
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!DOCTYPE html>\n<html><head>{body}</head><body><p>x</p></body></html>", encoding="utf-8")
    return tmp_path


def test_a_script_from_a_cdn_is_caught(tmp_path):
    url = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"
    site = _site(tmp_path, {"index.html": f'<script defer src="{url}"></script>'})
    assert check_site.external_resources(site) == [("index.html", url)]


def test_a_protocol_relative_stylesheet_is_caught(tmp_path):
    url = "//cdn.example.org/theme.css"
    site = _site(tmp_path, {"sub/page.html": f'<link rel="stylesheet" href="{url}" type="text/css" />'})
    assert check_site.external_resources(site) == [("sub/page.html", url)]


@pytest.mark.parametrize(
    "tag",
    [
        '<link rel="preload" as="font" href="https://fonts.example.org/a.woff2" crossorigin>',
        '<img src="data:," srcset="small.png 1x, https://example.org/big.png 2x">',
        '<iframe src="http://example.org/embed"></iframe>',
        "<style>@import url('https://fonts.example.org/css?family=Lato');</style>",
    ],
)
def test_fonts_images_frames_and_inline_imports_are_caught(tmp_path, tag):
    assert len(check_site.external_resources(_site(tmp_path, {"index.html": tag}))) == 1


def test_local_files_and_links_to_papers_are_fine(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<link rel="stylesheet" href="_static/styles/theme.css" />'
            '<script defer src="_static/mathjax/tex-chtml.js"></script>'
            '<link rel="canonical" href="https://example.org/docs/" />'
            '<a href="https://arxiv.org/abs/1406.2661">Goodfellow et al.</a>',
            "divergences/kl.html": '<script src="../_static/documentation_options.js"></script>'
            '<img src="../_images/kl-figure.png" alt="figure">'
            '<a href="//example.org/paper.pdf">a paper</a>',
        },
    )
    (site / "_static").mkdir()
    (site / "_static" / "theme.css").write_text(
        "@font-face { src: url(../fonts/a.woff2) format('woff2'); } /* see https://example.org */", encoding="utf-8"
    )
    assert check_site.external_resources(site) == []


def test_a_stylesheet_of_the_site_that_loads_a_web_font_is_caught(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "fonts.css").write_text(
        '@font-face { font-family: X; src: url("https://fonts.example.org/x.woff2"); }', encoding="utf-8"
    )
    assert check_site.external_resources(tmp_path) == [("_static/fonts.css", "https://fonts.example.org/x.woff2")]


def test_main_names_each_page_and_url_and_fails(tmp_path, capsys):
    site = _site(tmp_path, {"a.html": '<script src="https://cdn.example.org/a.js"></script>', "b.html": ""})
    assert check_site.main([str(site)]) == 1
    err = capsys.readouterr().err
    assert "a.html: loads https://cdn.example.org/a.js from the network" in err
    assert "b.html" not in err
    assert check_site.main([str(_site(tmp_path / "clean", {"index.html": ""}))]) == 0
