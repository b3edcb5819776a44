/// The WeasyPrint driver PDFWriter runs with the Python that has WeasyPrint (`python3 -c
/// source HTML PDF MAP`): Python, kept here so that the program needs no file beside it.
/// Its own comments say what it does and why.
public enum WeasyPrintDriver {
    public static let source = #"""
"""edition's WeasyPrint driver: lays out the print HTML, writes the PDF and the page map.

Run by PDFWriter with the Python that has WeasyPrint (the scripts install it into .venv):

    python3 -c SOURCE HTML PDF MAP

It applies edition's fix to WeasyPrint's column layout at run time (below), writes PDF through
WeasyPrint's document API and writes MAP, a JSON object:

    {"weasyprint": "70.0", "columnFix": "applied" | "present",
     "pages": [{"counter": 2, "numbered": true, "id": "article-id", "offset": 1234,
                "words": ["first", "words", ...], "area": [x, y, width, height],
                "footnotes": y | null}, ...]}

one entry per physical page: the value of the CSS page counter on that page, whether the page
increments it (the cover and front pages do not), and where its main text flow begins (not the
running heads, page numbers or footnotes): the nearest element with an id around the page's
first character, and that character's offset in the element's text content, counted in code
points over the HTML's text nodes. A page whose flow has no text (a blank page, a page of
footnotes only, an image) has id null. Messages go to stderr as `LEVEL: message`, like the
`weasyprint` command's.

"area" is the page area, where the main flow and the footnotes are laid out (the running heads
and page numbers are in the margins around it), and "footnotes" the top of the footnote area
when the page has notes, in PDF points from the page's top-left corner: `edition verify` reads
the PDF's text layer and tells the flow, the notes and the margins apart by these.
"""
import inspect
import json
import logging
import re
import sys


COLUMN_FIX_REASON = """
WeasyPrint 70.0 pushes a footnote to the next page when, in a multi-column box, the notes a
column height cites need more room than its last try reserved: columns_layout stops re-trying
as soon as a footnote-area height repeats. Re-try while the notes keep growing. Found with
book/: 3 of 162 notes landed one page after their citation; 0 with this fix.
"""
COLUMN_ORIGINAL = re.compile(r"^(\s*)if last_footnotes_height not in footnote_area_heights:\s*$", re.M)
COLUMN_FIXED = ("if (last_footnotes_height not in footnote_area_heights or\n"
                "{indent}        last_footnotes_height > footnote_area_heights[-1]):")
COLUMN_FIXED_MARK = "last_footnotes_height > footnote_area_heights[-1]"


def fix_column_layout():
    """Re-defines weasyprint.layout.column.columns_layout with the two lines changed; returns
    "applied", or "present" when the installed WeasyPrint already has them."""
    from weasyprint.layout import block, column
    source = inspect.getsource(column.columns_layout)
    if COLUMN_FIXED_MARK in source:
        return "present"
    found = COLUMN_ORIGINAL.search(source)
    if not found:
        raise RuntimeError("the column fix does not apply to this WeasyPrint: "
                           "columns_layout no longer has the line it changes")
    indent = found.group(1).lstrip("\n")
    fixed = (source[:found.start()] + indent + COLUMN_FIXED.format(indent=indent) + source[found.end():])
    namespace = dict(column.__dict__)
    exec(compile(fixed, column.__file__, "exec"), namespace)
    column.columns_layout = namespace["columns_layout"]
    block.columns_layout = namespace["columns_layout"]
    return "applied"


def track_text_positions():
    """Marks every text box with where its text starts in its element's own text: the number
    of non-space characters of the element's text nodes before it (`_edition_base`, set after
    the box tree is built) and the bytes a line break skipped (`_edition_skip`)."""
    from weasyprint import document
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline

    build = document.build_formatting_structure

    def build_and_mark(*args, **kwargs):
        root = build(*args, **kwargs)
        counts = {}
        for box in root.descendants():
            if isinstance(box, boxes.TextBox) and is_source_text(box):
                key = id(box.element)
                box._edition_base = counts.get(key, 0)
                counts[key] = box._edition_base + non_space(box.text)
        return root

    split = inline.split_text_box

    def split_and_mark(context, box, available_width, skip, *args, **kwargs):
        new_box, resume, preserved = split(context, box, available_width, skip, *args, **kwargs)
        if new_box is not None:
            new_box._edition_skip = skip or 0
            new_box._edition_origin = box.text
        return new_box, resume, preserved

    document.build_formatting_structure = build_and_mark
    inline.split_text_box = split_and_mark


def non_space(text):
    return sum(1 for character in text if not character.isspace())


def is_source_text(box):
    """Text of the HTML's text nodes, not generated content (::before, markers, counters)."""
    return box.element is not None and "::" not in (box.element_tag or "")


def first_text(box, boxes):
    """The first text box of the main flow under box with some non-space text."""
    if isinstance(box, boxes.TextBox):
        return box if is_source_text(box) and box.text.strip() else None
    if box.style["position"] == "fixed":
        return None
    for child in getattr(box, "children", ()):
        found = first_text(child, boxes)
        if found is not None:
            return found
    return None


def own_text_nodes(element):
    """The element's own text nodes, in order: (text, owner, kind) with kind "text" or "tail"."""
    nodes = [(element.text or "", element, "text")]
    for child in element:
        nodes.append((child.tail or "", child, "tail"))
    return nodes


class TextIndex:
    """Code-point offsets of the HTML's text nodes within each element's text content."""

    def __init__(self, root):
        self.parent = {child: parent for parent in root.iter() for child in parent}
        self.root = root

    def locate(self, element, nth):
        """The element with an id nearest to element's nth non-space character of its own text,
        and the offset of that character in the id element's text content."""
        seen = 0
        for text, owner, kind in own_text_nodes(element):
            count = non_space(text)
            if seen + count > nth:
                position = 0
                remaining = nth - seen
                for position, character in enumerate(text):
                    if not character.isspace():
                        if remaining == 0:
                            break
                        remaining -= 1
                return self.offset(element, owner, kind, position)
            seen += count
        return None

    def offset(self, element, owner, kind, position):
        anchor = element
        while anchor is not None and not anchor.get("id"):
            anchor = self.parent.get(anchor)
        if anchor is None:
            return None
        total = 0
        for node_owner, node_kind, text in self.walk(anchor):
            if node_owner is owner and node_kind == kind:
                return anchor.get("id"), total + position
            total += len(text)
        return None

    def walk(self, element, top=True):
        """Every text node of element's content, in document order (not element's own tail)."""
        if not isinstance(element.tag, str):  # comments and processing instructions
            if not top and element.tail:
                yield element, "tail", element.tail
            return
        if element.text:
            yield element, "text", element.text
        for child in element:
            yield from self.walk(child, top=False)
        if not top and element.tail:
            yield element, "tail", element.tail


def words_from(page_box, start, boxes, limit=8):
    """The first words of the page's main flow from the text box start on. A word set in
    two inline boxes (a name in a span of its own) is one word: the boxes of a line are
    joined as they are, the lines with a space."""
    pieces = []
    started = False

    def visit(box):
        nonlocal started
        if len("".join(pieces).split()) > limit:
            return
        if box is start:
            started = True
        if isinstance(box, boxes.TextBox):
            if started and is_source_text(box):
                pieces.append(box.text)
            return
        if box.style["position"] == "fixed":
            return
        if isinstance(box, boxes.LineBox):
            pieces.append(" ")
        for child in getattr(box, "children", ()):
            visit(child)

    visit(page_box.children[0])
    return "".join(pieces).split()[:limit]


# CSS pixels (WeasyPrint's layout unit) to PDF points: 72 points per inch over 96 pixels.
POINTS_PER_PIXEL = 0.75


def page_areas(page_box):
    """The page area and the top of its footnote area (None without notes), in PDF points."""
    area = [round(value * POINTS_PER_PIXEL, 3) for value in
            (page_box.content_box_x(), page_box.content_box_y(), page_box.width, page_box.height)]
    from weasyprint.formatting_structure import boxes
    top = None
    for child in page_box.children:
        # A page without notes has no footnote area among its children (or an empty one).
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            top = round(child.position_y * POINTS_PER_PIXEL, 3)
    return area, top


def page_map(document, html):
    from weasyprint.formatting_structure import boxes
    index = TextIndex(html.etree_element)
    pages = []
    for page in document.pages:
        page_box = page._page_box
        counters = getattr(page_box, "_edition_counters", {})
        increments = dict(page_box.style["counter_increment"] or ())
        entry = {"counter": (counters.get("page") or [None])[-1],
                 "numbered": bool(increments.get("page")), "id": None, "offset": None, "words": []}
        entry["area"], entry["footnotes"] = page_areas(page_box)
        start = first_text(page_box.children[0], boxes)
        if start is not None:
            origin = getattr(start, "_edition_origin", start.text)
            skip = getattr(start, "_edition_skip", 0)
            nth = getattr(start, "_edition_base", 0) + non_space(origin.encode()[:skip].decode())
            located = index.locate(start.element, nth)
            if located:
                entry["id"], entry["offset"] = located
            entry["words"] = words_from(page_box, start, boxes)
        pages.append(entry)
    return pages


def record_page_counters():
    """Keeps on each page box the counter values its margin boxes see (the page's own)."""
    from weasyprint import layout

    make = layout.make_margin_boxes

    def make_and_record(context, page, state):
        page._edition_counters = {name: list(values) for name, values in state[1].items()}
        return make(context, page, state)

    layout.make_margin_boxes = make_and_record


def main(arguments):
    # --pdf-tags: a tagged PDF (headings, lists, links in a structure tree; the language).
    tags = "--pdf-tags" in arguments
    arguments = [argument for argument in arguments if argument != "--pdf-tags"]
    if len(arguments) != 3:
        print("usage: python3 -c SOURCE HTML PDF MAP [--pdf-tags]", file=sys.stderr)
        return 2
    html_path, pdf_path, map_path = arguments
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logging.getLogger("weasyprint").addHandler(handler)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    try:
        import weasyprint
    except ImportError as error:
        print(f"ERROR: WeasyPrint is not installed for {sys.executable}: {error}", file=sys.stderr)
        return 3
    column_fix = fix_column_layout()
    track_text_positions()
    record_page_counters()
    html = weasyprint.HTML(filename=html_path)
    document = html.render(pdf_tags=tags)
    document.write_pdf(pdf_path, pdf_tags=tags)
    result = {"weasyprint": weasyprint.__version__, "columnFix": column_fix,
              "pages": page_map(document, html)}
    with open(map_path, "w", encoding="utf-8") as output:
        json.dump(result, output, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
"""#
}
