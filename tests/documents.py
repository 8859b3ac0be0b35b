"""Real documents for the tests (and the benchmark) to read: PDF (fpdf2), DOCX
(python-docx), ODT (odfpy), EPUB (a small writer following the EPUB 3 packaging spec:
stored mimetype first, container, OPF package with a spine, nav document), web pages
written as a news site saves them, and mail."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

LOREM = (
    "China and Russia signed a thirty-year agreement on Tuesday to expand gas deliveries "
    "through a second pipeline, officials in both capitals said, deepening an energy "
    "partnership that has grown since Western sanctions cut Russia off from European buyers."
)


def write_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    title: str | None = None,
    author: str | None = None,
    created: dt.datetime | None = None,
    password: str | None = None,
    image_only: bool = False,
) -> Path:
    """One PDF page per item of ``pages``, each a list of paragraphs (a paragraph may hold
    explicit line breaks, e.g. a word hyphenated at a line end)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_creation_date(created or dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    if password:
        pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    for paragraphs in pages:
        pdf.add_page()
        if image_only:
            from PIL import Image

            pdf.image(Image.new("RGB", (400, 200), "white"), x=10, y=10, w=150)
            continue
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, _latin1(paragraph))
            pdf.ln(6)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _latin1(text: str) -> str:
    """The PDF core fonts hold Latin-1 only: typographic quotes and dashes as ASCII."""
    return text.translate(_TYPOGRAPHY).encode("latin-1", "replace").decode("latin-1")


def write_docx(path: Path) -> Path:
    """A report: title and headings, paragraphs, a list, a table with a merged cell."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = "Quarterly Review of Sanctions"
    props.author = "Ivan Petrov"
    props.created = dt.datetime(2022, 2, 3, 9, 0)
    document.add_heading("Quarterly Review of Sanctions", 0)
    document.add_paragraph("The café in Genève closed early. " + LOREM)
    document.add_heading("Findings", level=1)
    document.add_paragraph("Exports of machine tools rose", style="List Bullet")
    document.add_paragraph("Payments moved to smaller banks", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate((("Year", "Exports", "Imports"), ("2022", "76", "114"))):
        for col, text in enumerate(cells):
            table.cell(row, col).text = text
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "Source: customs data"
    document.add_paragraph("After the table comes the conclusion of the review.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_odt(path: Path) -> Path:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Notes on the Harbin Fair"))
    document.meta.addElement(meta.InitialCreator(text="Zoé Martin"))
    document.meta.addElement(meta.CreationDate(text="2021-07-08T10:00:00"))
    document.text.addElement(H(outlinelevel=1, text="Notes on the Harbin Fair"))
    document.text.addElement(P(text="Putin attended a trade fair in Harbin. " + LOREM))
    items = List()
    for text in ("first stand", "second stand"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_epub(
    path: Path,
    chapters: Sequence[tuple[str, str]],
    spine: Sequence[int] | None = None,
    title: str = "The Eastern Partnership",
    creators: Sequence[str] = ("Anna Petrova", "Li Wei"),
    date: str = "2019-06-01",
    publisher: str = "Harbour Press",
) -> Path:
    """``chapters``: (heading, body HTML) in manifest order; ``spine``: the reading order
    as indexes into ``chapters`` (default: as given)."""
    order = list(spine if spine is not None else range(len(chapters)))
    manifest = "\n".join(
        f'<item id="c{i}" href="text/ch{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(len(chapters))
    )
    itemrefs = "\n".join(f'<itemref idref="c{i}"/>' for i in order)
    creators_xml = "\n".join(f"<dc:creator>{c}</dc:creator>" for c in creators)
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:12345678-1234-1234-1234-123456789abc</dc:identifier>
    <dc:title>{title}</dc:title>
    {creators_xml}
    <dc:date>{date}</dc:date>
    <dc:publisher>{publisher}</dc:publisher>
    <dc:language>en</dc:language>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    {manifest}
  </manifest>
  <spine>
    {itemrefs}
  </spine>
</package>"""
    nav = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>Contents</title></head><body><nav epub:type="toc"><ol><li>Contents</li></ol>
</nav></body></html>"""
    container = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf"
    media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # stored, first
        book.writestr("META-INF/container.xml", container, zipfile.ZIP_DEFLATED)
        book.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        book.writestr("OEBPS/nav.xhtml", nav, zipfile.ZIP_DEFLATED)
        for i, (heading, body) in enumerate(chapters):
            page = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{heading}</title>
<style>p {{ margin: 0 }}</style></head>
<body><h1>{heading}</h1>{body}</body></html>"""
            book.writestr(f"OEBPS/text/ch{i}.xhtml", page, zipfile.ZIP_DEFLATED)
    return path


NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Eastern Wire | {headline}</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="Eastern Wire">
<meta property="og:type" content="article">
<meta name="author" content="Anna Petrova">
<meta property="article:published_time" content="{date}T08:30:00Z">
<link rel="canonical" href="https://easternwire.example/{slug}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{headline}",
 "datePublished": "{date}T08:30:00Z", "author": {{"@type": "Person", "name": "Anna Petrova"}},
 "publisher": {{"@type": "Organization", "name": "Eastern Wire"}}}}
</script>
<script>window.dataLayer = []; function track() {{ console.log("pixel loaded"); }}</script>
<style>.cookie {{ position: fixed; bottom: 0 }} body {{ font-family: serif }}</style>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your
experience. By continuing to browse you accept our cookie policy.</p>
<button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main>
<article>
<h1>{headline}</h1>
<p class="byline">By Anna Petrova</p>
{paragraphs}
</article>
<aside class="newsletter"><h3>Get our daily briefing</h3><p>Sign up for the newsletter
and never miss a story from our correspondents.</p><form><input type="email">
<button>Subscribe</button></form></aside>
<section class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Putin visits Harbin trade fair</a></li>
<li><a href="/b">Sanctions on Chinese banks widen</a></li>
<li><a href="/c">Yuan trade hits a record high</a></li></ul></section>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Great article, thanks for sharing this insight with us all!</p></div>
<div class="comment"><p>I disagree completely, the pipeline will never be built.</p></div>
</section>
</main>
<footer><p>© 2024 Eastern Wire. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></p></footer>
</body>
</html>
"""


def news_page(headline: str, paragraphs: Sequence[str], date: str = "2024-03-12") -> str:
    slug = "-".join(headline.lower().split())[:40]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return NEWS_PAGE.format(headline=headline, paragraphs=body, date=date, slug=slug)


def mail_message(subject: str, body: str, html: str | None = None) -> bytes:
    """A multipart/alternative mail (text and HTML) with an attachment."""
    message = EmailMessage()
    message["From"] = "Anna Petrova <anna@easternwire.example>"
    message["To"] = "desk@easternwire.example"
    message["Subject"] = subject
    message["Date"] = "Tue, 12 Mar 2024 08:30:00 +0100"
    message["Organization"] = "Eastern Wire"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    message.add_attachment(b"%PDF-1.4 not really", maintype="application", subtype="pdf")
    return bytes(message)
