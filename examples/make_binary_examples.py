"""Write the demo PDF and DOCX (run again after editing their text): python examples/make_binary_examples.py"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

WEEKLY_BRIEF = [
    ("h", "China Tech Weekly - demo brief, week of 14 August 2023"),
    ("h", "Policy in Brief"),
    ("b", "Ministry of Industry and IT"),
    ("p", "- guidelines for building a standards system for the industrial internet, with 60 new "
          "national and industry standards targeted by 2025"),
    ("b", "National Development and Reform Commission"),
    ("p", "- measures to restore and expand consumption, released with 12 other agencies on July 31"),
    ("b", "Cyberspace Administration of China"),
    ("p", "- draft rules for public comment on personal information protection compliance audits, "
          "released on August 3"),
    ("h", "Personnel"),
    ("p", "Zhang Ming was appointed vice minister of the demo ministry on August 8 "
          "(an invented person for this example)."),
]

MEETING_NOTE = [
    ("h1", "Note: semiconductor support policies, August 2023"),
    ("p", "Written by the policywatch team from public facts as a demo document."),
    ("h2", "What was announced"),
    ("p", "On August 4, 2023 the Ministry of Finance and the State Taxation Administration announced a "
          "higher additional deduction of R&D expenses for integrated circuit and machine tool companies: "
          "120 percent of actual R&D spending from January 1, 2023 to December 31, 2027."),
    ("h2", "Why it matters"),
    ("p", "The deduction lowers the tax bill of chip designers and equipment makers while export controls "
          "limit their access to foreign tools."),
]


def write_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for i, (style, text) in enumerate(WEEKLY_BRIEF):
        if style == "h" and i > 1:
            pdf.add_page()  # a page break inside the brief, so readers keep page offsets
        pdf.set_font("Helvetica", "B" if style in "hb" else "", 14 if style == "h" else 11)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_title("China Tech Weekly (demo)")
    pdf.set_creation_date(__import__("datetime").datetime(2023, 8, 18))
    pdf.output(str(path))


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for style, text in MEETING_NOTE:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1]))
        else:
            document.add_paragraph(text)
    document.core_properties.title = "Semiconductor support policies (demo note)"
    document.save(str(path))


if __name__ == "__main__":
    write_pdf(HERE / "weekly-brief-2023-08-14.pdf")
    write_docx(HERE / "note-semiconductor-tax.docx")
