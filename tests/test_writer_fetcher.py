"""The restricted URL fetcher: files below templates/ only; every refusal is fatal and recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint.urls import FatalURLFetchingError

from generator.errors import RenderError
from generator.writers.fetcher import RefusedResource, TemplatesOnlyFetcher
from generator.writers.templatefiles import resolve_template_file, template_file_from_url


@pytest.fixture()
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """templates/ with a stylesheet and a symlink pointing out; a secret beside templates/."""
    templates = tmp_path / "templates"
    (templates / "html").mkdir(parents=True)
    (templates / "html" / "stijl.css").write_text("p { color: red }", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    (templates / "html" / "uitweg.css").symlink_to(secret)
    (templates / "map").symlink_to(tmp_path, target_is_directory=True)
    return templates, secret


def test_refusal_is_fatal_for_weasyprint() -> None:
    # WeasyPrint only lets BaseException-derived fetch errors through; ordinary ones become warnings.
    assert issubclass(RefusedResource, FatalURLFetchingError)
    assert not issubclass(RefusedResource, Exception)


def test_serves_a_file_below_templates(layout: tuple[Path, Path]) -> None:
    templates, _secret = layout
    fetcher = TemplatesOnlyFetcher(templates)
    url = (templates / "html" / "stijl.css").as_uri()
    response = fetcher(url)
    try:
        assert response.read() == b"p { color: red }"
        assert response.content_type == "text/css"
    finally:
        response.close()
    assert fetcher.refused == []


def test_serves_file_url_with_localhost_and_escapes(layout: tuple[Path, Path]) -> None:
    templates, _secret = layout
    (templates / "html" / "met spatie.css").write_text("a{}", encoding="utf-8")
    path = (templates / "html" / "met spatie.css").resolve()
    assert template_file_from_url(templates, "file://localhost" + path.as_uri()[len("file://") :]) == path


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.css",
        "ftp://example.org/x.css",
        "data:text/css,p{color:red}",
        "javascript:alert(1)",
        "relatief.css",
        "file://example.org/etc/passwd",
        "file:///etc/passwd",
    ],
)
def test_refuses_other_schemes_hosts_and_files(layout: tuple[Path, Path], url: str) -> None:
    templates, _secret = layout
    fetcher = TemplatesOnlyFetcher(templates)
    with pytest.raises(RefusedResource, match=r"geweigerd|niet gevonden"):
        fetcher(url)
    assert len(fetcher.refused) == 1


def test_refuses_dotdot_traversal(layout: tuple[Path, Path]) -> None:
    templates, secret = layout
    url = (templates / "html").as_uri() + "/../../secret.txt"
    with pytest.raises(RefusedResource, match="buiten templates/"):
        TemplatesOnlyFetcher(templates)(url)
    encoded = (templates / "html").as_uri() + "/%2E%2E/%2E%2E/secret.txt"
    with pytest.raises(RefusedResource, match="buiten templates/"):
        TemplatesOnlyFetcher(templates)(encoded)
    assert secret.exists()


@pytest.mark.parametrize("relative", ["html/uitweg.css", "map/secret.txt"])
def test_refuses_symlinks_out_of_templates(layout: tuple[Path, Path], relative: str) -> None:
    templates, _secret = layout
    with pytest.raises(RefusedResource, match="buiten templates/"):
        TemplatesOnlyFetcher(templates)((templates / relative).as_uri())
    with pytest.raises(RenderError, match="buiten templates/"):
        resolve_template_file(templates, relative)


def test_refuses_directories_and_missing_files(layout: tuple[Path, Path]) -> None:
    templates, _secret = layout
    with pytest.raises(RefusedResource, match="geen gewoon bestand"):
        TemplatesOnlyFetcher(templates)((templates / "html").as_uri())
    with pytest.raises(RefusedResource, match="niet gevonden"):
        TemplatesOnlyFetcher(templates)((templates / "html" / "weg.css").as_uri())


def test_urllib_style_open_goes_through_the_same_check(layout: tuple[Path, Path]) -> None:
    templates, _secret = layout
    with pytest.raises(RefusedResource):
        TemplatesOnlyFetcher(templates).open("http://127.0.0.1:9/")


def test_resolve_template_file_refuses_absolute_paths(layout: tuple[Path, Path]) -> None:
    templates, secret = layout
    with pytest.raises(RenderError, match="absoluut"):
        resolve_template_file(templates, str(secret))
    assert resolve_template_file(templates, "html/stijl.css") == (templates / "html/stijl.css").resolve()
