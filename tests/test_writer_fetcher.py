"""Template look-up and the restricted URL fetcher: template files only; every refusal is fatal and recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint.urls import FatalURLFetchingError

from generator.errors import RenderError
from generator.writers.fetcher import RefusedResource, TemplatesOnlyFetcher
from generator.writers.templatefiles import PACKAGE_TEMPLATES, Templates


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
    fetcher = TemplatesOnlyFetcher(Templates((templates,)))
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
    assert Templates((templates,)).from_url("file://localhost" + path.as_uri()[len("file://") :]) == path


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
    fetcher = TemplatesOnlyFetcher(Templates((templates,)))
    with pytest.raises(RefusedResource, match=r"geweigerd|niet gevonden"):
        fetcher(url)
    assert len(fetcher.refused) == 1


def test_serves_a_base64_data_url_from_its_own_bytes(layout: tuple[Path, Path]) -> None:
    """The HTML writer inlines a raster logo as a data URL: its bytes come from the URL, nothing is read."""
    templates, _secret = layout
    fetcher = TemplatesOnlyFetcher(Templates((templates,)))
    response = fetcher("data:image/png;base64,iVBORw0KGgo=")
    try:
        assert response.read() == b"\x89PNG\r\n\x1a\n"
        assert response.content_type == "image/png"
    finally:
        response.close()
    with pytest.raises(RefusedResource, match="base64"):
        fetcher("data:image/png;base64,geen base64!")
    assert len(fetcher.refused) == 1


def test_refuses_dotdot_traversal(layout: tuple[Path, Path]) -> None:
    templates, secret = layout
    url = (templates / "html").as_uri() + "/../../secret.txt"
    with pytest.raises(RefusedResource, match="buiten de sjablonen"):
        TemplatesOnlyFetcher(Templates((templates,)))(url)
    encoded = (templates / "html").as_uri() + "/%2E%2E/%2E%2E/secret.txt"
    with pytest.raises(RefusedResource, match="buiten de sjablonen"):
        TemplatesOnlyFetcher(Templates((templates,)))(encoded)
    assert secret.exists()


@pytest.mark.parametrize("relative", ["html/uitweg.css", "map/secret.txt"])
def test_refuses_symlinks_out_of_templates(layout: tuple[Path, Path], relative: str) -> None:
    templates, _secret = layout
    with pytest.raises(RefusedResource, match="buiten de sjablonen"):
        TemplatesOnlyFetcher(Templates((templates,)))((templates / relative).as_uri())
    with pytest.raises(RenderError, match="buiten de sjablonen"):
        Templates((templates,)).find(relative)


def test_refuses_directories_and_missing_files(layout: tuple[Path, Path]) -> None:
    templates, _secret = layout
    with pytest.raises(RefusedResource, match="geen gewoon bestand"):
        TemplatesOnlyFetcher(Templates((templates,)))((templates / "html").as_uri())
    with pytest.raises(RefusedResource, match="niet gevonden"):
        TemplatesOnlyFetcher(Templates((templates,)))((templates / "html" / "weg.css").as_uri())


def test_urllib_style_open_goes_through_the_same_check(layout: tuple[Path, Path]) -> None:
    templates, _secret = layout
    with pytest.raises(RefusedResource):
        TemplatesOnlyFetcher(Templates((templates,))).open("http://127.0.0.1:9/")


def test_resolve_template_file_refuses_absolute_paths(layout: tuple[Path, Path]) -> None:
    templates, secret = layout
    with pytest.raises(RenderError, match="absoluut"):
        Templates((templates,)).find(str(secret))
    assert Templates((templates,)).find("html/stijl.css") == (templates / "html/stijl.css").resolve()


def test_find_names_the_missing_file_and_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"sjabloonbestand 'docx/weg.docx' niet gevonden \(gezocht in: .*"):
        Templates((tmp_path,)).find("docx/weg.docx")


def test_a_project_file_overrides_the_package_default_file_by_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "templates" / "html").mkdir(parents=True)
    own = project / "templates" / "html" / "raadsvoorstel.css"
    own.write_text("p { color: green }", encoding="utf-8")
    templates = Templates.for_project(project)
    assert templates.roots == ((project / "templates").resolve(), PACKAGE_TEMPLATES.resolve())
    assert templates.find("html/raadsvoorstel.css") == own.resolve()
    assert templates.find("html/page.html") == (PACKAGE_TEMPLATES / "html" / "page.html").resolve()
    files = templates.files()
    assert files["html/raadsvoorstel.css"] == own
    assert templates.origin(files["html/page.html"]) == PACKAGE_TEMPLATES.resolve()


def test_an_extra_folder_goes_before_the_project(tmp_path: Path) -> None:
    (tmp_path / "project" / "templates").mkdir(parents=True)
    (tmp_path / "extra").mkdir()
    templates = Templates.for_project(tmp_path / "project", tmp_path / "extra")
    assert templates.roots[0] == (tmp_path / "extra").resolve()
    assert len(templates.roots) == 3


def test_a_url_into_the_package_is_served_from_the_override(tmp_path: Path) -> None:
    """WeasyPrint resolves relative url()s against the package's stylesheet; the override must still win."""
    project = tmp_path / "project"
    (project / "templates" / "html").mkdir(parents=True)
    own = project / "templates" / "html" / "page.html"
    own.write_text("eigen", encoding="utf-8")
    templates = Templates.for_project(project)
    assert templates.from_url((PACKAGE_TEMPLATES / "html" / "page.html").as_uri()) == own.resolve()
