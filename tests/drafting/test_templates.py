"""The DOCX drafting templates in templates/: do they render safely, in order, as real Word?

Each template.docx is rendered with docxtpl in a sandboxed, autoescaping Jinja environment with
the sample context of its manifest.yaml, then read back with python-docx; where LibreOffice is
installed, the rendered documents are also converted to PDF and read back with pypdf.
"""

import copy
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from pypdf import PdfReader

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NAMES = ("kepgub-pembentukan", "kepbupwal-pembentukan", "keputusan-perubahan")
CONTEXT_KEYS = {
    "dengan_rahmat",
    "kepala",
    "nomor",
    "tentang",
    "menimbang",
    "mengingat",
    "memperhatikan",
    "menetapkan",
    "diktum",
    "tempat",
    "tanggal",
    "penandatangan",
    "tembusan",
    "lampiran",
}
MEMBER_HEADER = ["NO.", "JABATAN DALAM GUGUS TUGAS", "JABATAN/INSTANSI"]
RAHMAT = "DENGAN RAHMAT TUHAN YANG MAHA ESA"
FIELD_TYPES = {"string", "date", "rows", "list", "regulation", "boolean"}


# --- helpers ------------------------------------------------------------------------------


def manifest(name):
    return yaml.safe_load((TEMPLATES / name / "manifest.yaml").read_text(encoding="utf-8"))


def sample(name):
    return copy.deepcopy(manifest(name)["sample"])


def sandbox():
    return SandboxedEnvironment(autoescape=True)


def render(name, context, folder):
    """Render template `name` with `context` into folder/<name>.docx; return the path."""
    template = DocxTemplate(TEMPLATES / name / "template.docx")
    template.render(context, jinja_env=sandbox(), autoescape=True)
    path = Path(folder) / f"{name}.docx"
    template.save(path)
    return path


def text_of(p):
    """A paragraph's text, tabs as spaces, whitespace collapsed."""
    parts = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        parts.append((node.text or "") if node.tag == qn("w:t") else " ")
    return " ".join("".join(parts).split())


def body_paragraphs(document):
    """Every paragraph of the body in reading order, table cells included."""
    return list(document.element.body.iter(qn("w:p")))


def texts(document):
    return [text_of(p) for p in body_paragraphs(document)]


def expected_parts(context):
    """The paragraphs a rendered Keputusan must contain, in the order of DOMAIN.md section 5."""
    head, signer, lampiran = context["kepala"], context["penandatangan"], context["lampiran"]
    parts = [head["jabatan"]]
    parts += [head["provinsi_baris"]] if head["provinsi_baris"] else []
    parts += [head["judul_keputusan"], f"NOMOR {context['nomor']}", "TENTANG", context["tentang"]]
    parts += [RAHMAT] if context["dengan_rahmat"] else []
    parts += [f"{head['jabatan']},", "Menimbang", *context["menimbang"]]
    parts += ["Mengingat", *context["mengingat"]]
    if context["memperhatikan"]:
        parts += ["Memperhatikan", *context["memperhatikan"]]
    parts += ["MEMUTUSKAN:", "Menetapkan", context["menetapkan"]]
    for diktum in context["diktum"]:
        parts += [diktum["label"], diktum["isi"]]
    parts += [
        f"Ditetapkan di {context['tempat']}",
        f"pada tanggal {context['tanggal']}",
        signer["jabatan"],
        signer["nama"],
    ]
    if context["tembusan"]:
        parts += ["Tembusan Yth.:", *context["tembusan"]]
    if lampiran["anggota"]:
        parts += [
            "LAMPIRAN",
            head["judul_keputusan"],
            f"NOMOR : {context['nomor']}",
            f"TANGGAL : {context['tanggal']}",
            f"TENTANG : {context['tentang']}",
            lampiran["judul"],
        ]
        if "perubahan" in context:
            parts.append(f"(pengganti Lampiran {context['perubahan']['sk_diubah']})")
        parts += MEMBER_HEADER
        for member in lampiran["anggota"]:
            parts += [f"{member['no']}.", member["jabatan_gt"], member["jabatan"]]
        parts += [signer["jabatan"], signer["nama"]]
    return [" ".join(part.split()) for part in parts]


def assert_in_order(found, expected):
    """Each expected paragraph occurs, exactly, after the previous one."""
    position = 0
    for part in expected:
        try:
            position = found.index(part, position) + 1
        except ValueError:
            pytest.fail(f"not found (in this order): {part!r}\nafter: {found[position - 1]!r}")


def numbering_labels(document):
    """The label Word shows for each body paragraph ("a.", "1.") or None: numPr resolved
    through numbering.xml, with one counter per abstractNum as Word keeps them."""
    numbering = document.part.numbering_part.element
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    counters, labels = {}, []
    for p in body_paragraphs(document):
        num_id = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is None:
            labels.append(None)
            continue
        num = nums[num_id.get(qn("w:val"))]
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        level = abstracts[abstract_id].find(qn("w:lvl"))
        start = int(level.find(qn("w:start")).get(qn("w:val")))
        counters[abstract_id] = counters.get(abstract_id, start - 1) + 1
        labels.append(format_label(level, counters[abstract_id]))
    return labels


def format_label(level, value):
    fmt = level.find(qn("w:numFmt")).get(qn("w:val"))
    shown = {"decimal": str(value), "lowerLetter": chr(ord("a") + value - 1)}[fmt]
    return level.find(qn("w:lvlText")).get(qn("w:val")).replace("%1", shown)


def list_level(document, p):
    """The w:lvl (level 0) that numbers paragraph `p`."""
    numbering = document.part.numbering_part.element
    num_id = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    return abstract.find(qn("w:lvl"))


def labels_of(document, items):
    """The labels of the paragraphs whose text is one of `items`, in document order."""
    wanted = {" ".join(item.split()) for item in items}
    return [
        label
        for text, label in zip(texts(document), numbering_labels(document), strict=True)
        if text in wanted
    ]


def member_table(document):
    for table in document.tables:
        if [cell.text for cell in table.rows[0].cells] == MEMBER_HEADER:
            return table
    return None


@pytest.fixture(params=NAMES)
def name(request):
    return request.param


# --- manifests ----------------------------------------------------------------------------


def test_manifest_describes_its_template(name):
    """Is each manifest complete data: forms, levels, the option, typed fields, a sample?"""
    data = manifest(name)
    assert data["name"] == name
    assert data["title"] and isinstance(data["version"], int)
    assert set(data["forms"]) <= {"kepgub", "kepbup", "kepwal"} and data["forms"]
    assert set(data["levels"]) <= {"provinsi", "kabupaten", "kota"} and data["levels"]
    option = data["options"]["dengan_rahmat"]
    assert option["type"] == "boolean" and option["default"] is False and option["label"]
    fields = {field["name"]: field for field in data["fields"]}
    for field in fields.values():
        assert field["label"] and field["type"] in FIELD_TYPES
        assert isinstance(field["required"], bool)
    assert {
        "nomor",
        "tanggal_penetapan",
        "tempat",
        "nama_penandatangan",
        "anggota",
        "tembusan",
        "memperhatikan",
    } <= set(fields)
    assert fields["nama_penandatangan"]["required"] is True
    assert [c["name"] for c in fields["anggota"]["columns"]] == ["jabatan_gt", "jabatan"]
    assert fields["tembusan"]["default"]
    if name == "keputusan-perubahan":
        sk_diubah = fields["sk_diubah_id"]
        assert (sk_diubah["type"], sk_diubah["required"]) == ("regulation", True)
        assert sk_diubah["label"] == "Keputusan yang diubah"


def test_the_sample_is_the_whole_context_and_the_template_uses_no_other_variable(name):
    """Does the template ask for exactly the context contract, which the sample fills?"""
    context = sample(name)
    keys = CONTEXT_KEYS | ({"perubahan"} if name == "keputusan-perubahan" else set())
    assert set(context) == keys
    assert set(context["kepala"]) == {"jabatan", "provinsi_baris", "judul_keputusan"}
    assert set(context["penandatangan"]) == {"jabatan", "nama"}
    assert all(set(d) == {"label", "isi"} for d in context["diktum"])
    template = DocxTemplate(TEMPLATES / name / "template.docx")
    assert template.get_undeclared_template_variables(jinja_env=sandbox()) == keys


def test_sample_members_are_numbered_from_one(name):
    """Are the "no" keys read as numbers (an unquoted YAML `no:` is the boolean false)?"""
    members = sample(name)["lampiran"]["anggota"]
    assert [m["no"] for m in members] == list(range(1, len(members) + 1))
    assert all(set(m) == {"no", "jabatan_gt", "jabatan"} for m in members)


def test_one_sample_has_a_membership_long_enough_to_span_pages():
    assert max(len(sample(n)["lampiran"]["anggota"]) for n in NAMES) >= 40


def test_sample_mengingat_cites_the_national_chain_in_the_domain_format(name):
    """UU 21/2007 with its gazette, then Perpres 69/2008 as amended last by Perpres 49/2023."""
    mengingat = [" ".join(item.split()) for item in sample(name)["mengingat"]]
    uu = next(
        i
        for i, item in enumerate(mengingat)
        if item.startswith(
            "Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan "
            "Orang (Lembaran Negara Republik Indonesia Tahun 2007 Nomor 58, Tambahan Lembaran "
            "Negara Republik Indonesia Nomor 4720)"
        )
    )
    perpres = next(
        i
        for i, item in enumerate(mengingat)
        if item.startswith("Peraturan Presiden Nomor 69 Tahun 2008")
    )
    assert uu < perpres
    assert (
        "sebagaimana telah diubah beberapa kali, terakhir dengan Peraturan Presiden Nomor 49 "
        "Tahun 2023"
    ) in mengingat[perpres]
    assert all(item.endswith(";") for item in mengingat)


# --- the rendered document ----------------------------------------------------------------


@pytest.mark.parametrize("dengan_rahmat", [False, True])
def test_renders_every_part_in_order(name, dengan_rahmat, tmp_path):
    context = sample(name)
    context["dengan_rahmat"] = dengan_rahmat
    document = Document(render(name, context, tmp_path))
    found = texts(document)
    assert_in_order(found, expected_parts(context))
    assert not [text for text in found if "{{" in text or "{%" in text or "%}" in text]
    assert found.count(RAHMAT) == (1 if dengan_rahmat else 0)


def test_heading_has_no_empty_province_line_for_a_province(tmp_path):
    context = sample("kepgub-pembentukan")
    assert context["kepala"]["provinsi_baris"] == ""
    found = texts(Document(render("kepgub-pembentukan", context, tmp_path)))
    assert found[:2] == [context["kepala"]["jabatan"], context["kepala"]["judul_keputusan"]]


def test_a_kabupaten_heading_adds_its_province_line(tmp_path):
    context = sample("kepbupwal-pembentukan")
    found = texts(Document(render("kepbupwal-pembentukan", context, tmp_path)))
    assert found[:3] == [
        context["kepala"]["jabatan"],
        "PROVINSI SUMATERA SELATAN",
        context["kepala"]["judul_keputusan"],
    ]


def test_menimbang_and_mengingat_are_word_lists_each_starting_again(name, tmp_path):
    """Lettered a., b., ... and numbered 1., 2., ... through w:numPr, with hanging indents."""
    context = sample(name)
    document = Document(render(name, context, tmp_path))
    menimbang = labels_of(document, context["menimbang"])
    mengingat = labels_of(document, context["mengingat"])
    assert menimbang == [f"{chr(ord('a') + i)}." for i in range(len(context["menimbang"]))]
    assert mengingat == [f"{i}." for i in range(1, len(context["mengingat"]) + 1)]
    assert labels_of(document, context["tembusan"]) == [
        f"{i}." for i in range(1, len(context["tembusan"]) + 1)
    ]
    items = {" ".join(item.split()) for item in context["menimbang"] + context["mengingat"]}
    for p in body_paragraphs(document):
        if text_of(p) in items:
            indent = list_level(document, p).find(f"{qn('w:pPr')}/{qn('w:ind')}")
            assert int(indent.get(qn("w:hanging"))) > 0
            assert indent.get(qn("w:left")) == indent.get(qn("w:hanging"))


def test_memperhatikan_is_optional_numbered_when_several_and_plain_when_one(tmp_path):
    context = sample("kepbupwal-pembentukan")
    assert len(context["memperhatikan"]) == 2
    document = Document(render("kepbupwal-pembentukan", context, tmp_path))
    assert labels_of(document, context["memperhatikan"]) == ["1.", "2."]

    context["memperhatikan"] = context["memperhatikan"][:1]
    document = Document(render("kepbupwal-pembentukan", context, tmp_path))
    assert labels_of(document, context["memperhatikan"]) == [None]

    context["memperhatikan"] = []
    assert "Memperhatikan" not in texts(
        Document(render("kepbupwal-pembentukan", context, tmp_path))
    )


def test_no_tembusan_block_when_the_list_is_empty(name, tmp_path):
    context = sample(name)
    context["tembusan"] = []
    found = texts(Document(render(name, context, tmp_path)))
    assert not [text for text in found if text.startswith("Tembusan")]
    assert_in_order(found, expected_parts(context))


def test_lampiran_membership_is_a_bordered_table_on_a_new_page(name, tmp_path):
    """One row per member under a header row that repeats on every page."""
    context = sample(name)
    document = Document(render(name, context, tmp_path))
    table = member_table(document)
    members = context["lampiran"]["anggota"]
    assert len(table.rows) == len(members) + 1
    for row, member in zip(table.rows[1:], members, strict=True):
        assert [cell.text for cell in row.cells] == [
            f"{member['no']}.",
            member["jabatan_gt"],
            member["jabatan"],
        ]
    assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}
    lampiran = next(p for p in body_paragraphs(document) if text_of(p) == "LAMPIRAN")
    assert lampiran.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None


def test_labels_and_diktum_sit_in_borderless_layout_tables(name, tmp_path):
    """ "Menimbang :", "Mengingat :" and "KESATU :" are left-column cells of unruled tables."""
    context = sample(name)
    document = Document(render(name, context, tmp_path))
    labels = {"Menimbang", "Mengingat", "Menetapkan", *(d["label"] for d in context["diktum"])}
    seen = set()
    for table in document.tables:
        if [cell.text for cell in table.rows[0].cells] == MEMBER_HEADER:
            continue
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
        for row in table.rows:
            if row.cells[0].text in labels:
                assert row.cells[1].text == ":"
                seen.add(row.cells[0].text)
    assert seen == labels


def test_an_amendment_without_new_membership_has_no_lampiran(tmp_path):
    context = sample("keputusan-perubahan")
    context["lampiran"]["anggota"] = []
    document = Document(render("keputusan-perubahan", context, tmp_path))
    found = texts(document)
    assert "LAMPIRAN" not in found and member_table(document) is None
    assert_in_order(found, expected_parts(context))
    assert document.element.body.find(qn("w:sectPr")) is not None


def test_the_amendment_names_the_decree_it_amends(tmp_path):
    context = sample("keputusan-perubahan")
    found = texts(Document(render("keputusan-perubahan", context, tmp_path)))
    sk = context["perubahan"]["sk_diubah"]
    assert f"(pengganti Lampiran {sk})" in found


def test_values_with_ampersand_and_angle_bracket_survive_intact(name, tmp_path):
    """Autoescape keeps the XML whole (without it, a '&' silently truncates the document)."""
    context = sample(name)
    awkward = "Kepala Dinas P3A & KB <Bidang PPPA>"
    context["lampiran"]["anggota"][-1]["jabatan"] = awkward
    context["penandatangan"]["nama"] = "DRS. H. A & B <KEPALA>"
    context["menimbang"][0] = "bahwa A & B < C serta D > E;"
    context["tentang"] = context["tentang"] + " & <UJI>"
    document = Document(render(name, context, tmp_path))
    found = texts(document)
    assert_in_order(found, expected_parts(context))
    assert member_table(document).rows[-1].cells[2].text == awkward
    assert document.element.body.find(qn("w:sectPr")) is not None


def test_page_is_a4_portrait_with_official_margins_and_arial_12(name, tmp_path):
    document = Document(render(name, sample(name), tmp_path))
    for section in document.sections:
        assert abs(section.page_width.mm - 210) < 0.5
        assert abs(section.page_height.mm - 297) < 0.5
        assert all(
            round(margin.cm, 1) >= 2
            for margin in (
                section.top_margin,
                section.bottom_margin,
                section.left_margin,
                section.right_margin,
            )
        )
    normal = document.styles["Normal"]
    assert normal.font.name == "Arial" and normal.font.size.pt == 12
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Arial"}
    assert not [k for k in fonts.attrib if k.lower().endswith("theme")]
    assert not document.element.body.findall(f".//{qn('w:rFonts')}")  # no direct font override


def test_template_files_match_the_build_script(tmp_path):
    """Are the committed template.docx files what templates/build_templates.py builds?"""
    subprocess.run(
        [sys.executable, str(TEMPLATES / "build_templates.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    for name in NAMES:
        with (
            zipfile.ZipFile(TEMPLATES / name / "template.docx") as kept,
            zipfile.ZipFile(tmp_path / name / "template.docx") as built,
        ):
            assert kept.namelist() == built.namelist(), name
            for member in kept.namelist():
                assert kept.read(member) == built.read(member), f"{name}: {member}"


# --- through LibreOffice ------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed, so the PDF conversion cannot be checked; "
    "install it with `apt-get install libreoffice-writer` to run this test",
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """The three samples rendered and converted to PDF in one headless LibreOffice run."""
    folder = tmp_path_factory.mktemp("pdf")
    documents = [str(render(name, sample(name), folder)) for name in NAMES]
    profile = (folder / "profile").as_uri()
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *documents,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {name: folder / f"{name}.pdf" for name in NAMES}


def pdf_text(path):
    """The PDF's text with page numbers dropped, line-end hyphens joined, spaces collapsed."""
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    text = re.sub(r"^- \d+ -$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"-\s*\n\s*", "-", text)
    return " ".join(text.split())


def pdf_markers(context):
    """The beginning of each part, with list labels where Word numbers the item."""

    def start(text):
        words = text.split()
        return " ".join(words[:5])

    labelled = {}
    for items, labels in (
        (context["menimbang"], "abcdefghijklmnopqrstuvwxyz"),
        (context["mengingat"], None),
        (context["tembusan"], None),
    ):
        for index, item in enumerate(items):
            label = labels[index] if labels else str(index + 1)
            labelled[" ".join(item.split())] = f"{label}. {start(item)}"
    return [labelled.get(part, start(part)) for part in expected_parts(context)]


@needs_soffice
def test_libreoffice_converts_to_pdf_with_the_parts_in_order(name, pdfs):
    context = sample(name)
    text = pdf_text(pdfs[name])
    position = 0
    for marker in pdf_markers(context):
        found = text.find(marker, position)
        assert found >= 0, f"not found in the PDF after position {position}: {marker!r}"
        position = found + len(marker)


@needs_soffice
def test_the_long_membership_spans_pages_under_a_repeated_header(pdfs):
    reader = PdfReader(pdfs["kepbupwal-pembentukan"])
    headed = [
        page
        for page in reader.pages
        if "NO. JABATAN DALAM GUGUS" in " ".join(page.extract_text().split())
    ]
    assert len(headed) >= 2
