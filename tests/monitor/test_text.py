from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jusoor.core.errors import Invalid
from jusoor.monitor.reading.text import expand_paths, read_bytes, read_file

ARTICLE = (
    "The sixth Government Forum on Combating Trafficking in Persons in the Middle East opened"
    " today, Thursday, in Kuwait City, with heads of national committees from the Gulf states."
)
HTML = f"""<!doctype html><html><head><title>Forum opens | News site</title>
<meta property="article:published_time" content="2024-11-14"></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article><h1>Government forum against trafficking opens in Kuwait</h1><p>{ARTICLE}</p>
<p>Participants will discuss victim protection and referral mechanisms across the region.</p>
</article><footer>Copyright 2024 News site. Subscribe to our newsletter.</footer></body></html>"""
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>
<item><title>Workshop in Rabat</title><link>https://example.org/a</link>
<pubDate>Tue, 16 May 2023 09:00:00 GMT</pubDate>
<description>&lt;p&gt;A workshop on &lt;b&gt;victim protection&lt;/b&gt;
opened in Rabat.&lt;/p&gt;</description></item>
<item><title>Forum in Kuwait</title><link>https://example.org/b</link>
<description>The forum opened today.</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Feed</title><entry><title>Conférence à Tunis</title><updated>2023-07-11T10:00:00Z</updated>
<content type="html">&lt;p&gt;La conférence s'est ouverte à Tunis.&lt;/p&gt;</content>
</entry></feed>"""


def test_plain_text_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(f"\n{ARTICLE}\n", encoding="utf-8")
    [doc] = read_file(path)
    assert (doc.kind, doc.text, doc.published) == ("text", ARTICLE, None)


def test_html_keeps_the_article_and_drops_the_boilerplate() -> None:
    [doc] = read_bytes(HTML.encode(), source="page.html")
    assert doc.kind == "html"
    assert doc.text.startswith("Government forum against trafficking opens in Kuwait")
    assert "Kuwait City" in doc.text
    for boilerplate in ("Subscribe", "Weather", "Copyright"):
        assert boilerplate not in doc.text
    assert doc.published == date(2024, 11, 14)  # declared in the page's metadata


def test_publication_date_of_html_is_never_guessed_from_the_text() -> None:
    html = (
        "<html><body><p>Le forum s'est tenu à Tunis du 10 au 13 juillet 2023 avec des experts.</p>"
    )
    [doc] = read_bytes(html.encode(), source="broken.html")
    assert "Tunis" in doc.text
    assert doc.published is None


def test_rss_items_become_documents_with_their_dates() -> None:
    first, second = read_bytes(RSS.encode(), source="feed.xml")
    assert (first.source, first.kind, first.url) == ("feed.xml#1", "feed", "https://example.org/a")
    assert first.text == "Workshop in Rabat\n\nA workshop on victim protection opened in Rabat."
    assert first.published == date(2023, 5, 16)
    assert (second.source, second.published) == ("feed.xml#2", None)


def test_atom_entries_are_read() -> None:
    [entry] = read_bytes(ATOM.encode(), source="feed.atom", suffix=".atom")
    assert entry.title == "Conférence à Tunis"
    assert entry.published == date(2023, 7, 11)


def test_arabic_in_windows_1256_is_decoded() -> None:
    text = "عقد المؤتمر الإقليمي حول مكافحة الاتجار بالبشر في مدينة شرم الشيخ بجمهورية مصر العربية"
    [doc] = read_bytes(text.encode("cp1256"), source="old.txt")
    assert doc.text == text


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (b"", ".txt", "the file is empty"),
        (b"  \n\t", ".txt", "the file is empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "", "binary file"),
        (b"<rss><channel><item><title>broken", ".rss", "the feed does not parse"),
        (b"<rss>\x01 garbage <<< >>", ".rss", "the feed does not parse"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "",
            "the feed has no items",
        ),
    ],
)
def test_bad_input_is_a_clear_error(data: bytes, suffix: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        read_bytes(data, source="bad", suffix=suffix)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="the file cannot be opened"):
        read_file(tmp_path / "missing.txt")


def test_folders_expand_to_their_files_in_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text("a")
    (tmp_path / ".hidden").write_text("h")
    one = tmp_path / "one.txt"
    assert expand_paths([tmp_path, one]) == [tmp_path / "b.txt", tmp_path / "sub" / "a.html", one]
