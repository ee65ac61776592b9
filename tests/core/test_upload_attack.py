"""Issue 9, "must show": the upload attack. A corpus of generated bad files (truncated, bit-flipped, polyglot
image+HTML, SVG/HTML with script, zero bytes, wrong magic, over-size, huge dimensions, zip bombs for .docx/.xlsx,
PDFs with junk) is posted to every upload field of every app, through the API and the pages. Expected: no server
error, no stored file that is not a re-encoded JPEG or a content-checked document, no row changed by a refused
request, and the worst request's peak memory under 300 MB (printed with a table of the fields). Also finding 1: a
PNG with a script named x.html or x.svg through the asset-check API is stored as a re-encoded .jpg and never
comes back as HTML or SVG."""

import io
import logging
import os
import random
import struct
import threading
import time
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import files

from .files_world import PDF, docx_bytes, image_bytes, world, xlsx_bytes  # noqa: F401 - world is a fixture

pytestmark = pytest.mark.django_db

PHOTO_LIMIT = 300_000  # smaller limits than production keep the over-size files cheap to make
DOCUMENT_LIMIT = 400_000
MEMORY_LIMIT_MB = 300
SPREAD = 8  # each file goes to one field in eight (interleaved): ~2,200 requests, about a minute


# Not a bad file: a valid photo just under UPLOAD_MAX_PIXELS (6300 × 6300 = 39.7 Mpx), the most memory a request
# may legitimately cost. It is posted once, to the first field, so that the worst request is a real worst case.
def at_the_limit():
    return "at the pixel limit (valid)", "limit.png", image_bytes("PNG", size=(6300, 6300), color=(90, 120, 30))


@pytest.fixture
def media_root(settings, tmp_path):
    """A media folder of this test's own, so that every file in it was stored by the pipeline."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PHOTO_MAX_BYTES = PHOTO_LIMIT
    settings.UPLOAD_MAX_DOCUMENT_BYTES = DOCUMENT_LIMIT
    return Path(settings.MEDIA_ROOT)


# --- the corpus -------------------------------------------------------------------------------------------------


def _png_with_size(width: int, height: int) -> bytes:
    """A valid PNG whose header announces width×height (a 1-bit image with one tiny, wrong-sized IDAT)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _jpeg_with_size(width: int, height: int) -> bytes:
    data = bytearray(image_bytes("JPEG", size=(16, 16)))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _office_bomb(kind: str) -> bytes:
    main = {
        "docx": ("word/document.xml", "wordprocessingml.document"),
        "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet"),
    }[kind]
    types = (
        f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
        f'PartName="/{main[0]}" ContentType="application/vnd.openxmlformats-officedocument.{main[1]}.main+xml"/>'
        f"</Types>"
    ).encode()
    return _zip({"[Content_Types].xml": types, main[0]: b" " * (80 * 1024 * 1024)})


def _noise_png(side: int, rng: random.Random) -> bytes:
    return (
        image_bytes("PNG", size=(side, side))
        if side < 2
        else _png_of(Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)))
    )


def _png_of(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _flip(data: bytes, rng: random.Random, flips: int) -> bytes:
    data = bytearray(data)
    for _ in range(flips):
        position = rng.randrange(8, len(data))  # keep the magic: the decoder must meet the damage
        data[position] ^= 1 << rng.randrange(8)
    return bytes(data)


def build_corpus(rng: random.Random) -> list[tuple[str, str, bytes]]:
    """(family, file name, bytes): every file is bad for at least one field, most for all of them."""
    corpus = []
    add = corpus.append
    seeds = {
        "jpg": image_bytes("JPEG", size=(48, 32)),
        "png": image_bytes("PNG", size=(48, 32)),
        "webp": image_bytes("WEBP", size=(48, 32)),
        "pdf": PDF,
        "docx": docx_bytes(),
        "xlsx": xlsx_bytes(),
    }
    script = b"<script>alert(document.cookie)</script>"
    for extension, data in seeds.items():
        for index in range(40):  # truncated at random points, and at the very start
            cut = rng.randrange(1, len(data) - 1) if index else 12
            add(("truncated", f"cut{index}.{extension}", data[:cut]))
        for index in range(64):  # bit-flipped: some still decode (then they are re-encoded), most do not
            add(("bit-flipped", f"flip{index}.{extension}", _flip(data, rng, flips=1 + (index % 16) * 3)))
    polyglot_images = [
        (image_bytes(fmt, size=size), fmt)
        for fmt in ("PNG", "JPEG", "WEBP")
        for size in ((48, 32), (8, 8), (300, 200), (1, 1))
    ]
    for name in ("x.html", "x.svg", "x.png", "x.jpg", "x.htm", "x.xhtml"):  # polyglots image + HTML
        for image, _fmt in polyglot_images:
            add(("polyglot", name, image + script))
            add(("polyglot", name, image + b"<html><body>" + script + b"</body></html>"))
        add(("polyglot", name, b"GIF89a/*" + b"\x00" * 16 + b"*/=1;" + script))
    for name in ("a.svg", "a.html", "a.jpg", "a.png", "a.pdf", "a.docx", "a.xlsx"):
        add(("svg/html", name, b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + script + b"</svg>"))
        add(("svg/html", name, b"<!DOCTYPE html><html><body>" + script + b"</body></html>"))
        add(("svg/html", name, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><svg>&a;</svg>'))
    for name in ("zero.jpg", "zero.png", "zero.pdf", "zero.docx", "zero.xlsx", "zero"):
        add(("zero bytes", name, b""))
    magics = [
        b"\xff\xd8\xff\xe0",
        b"\x89PNG\r\n\x1a\n",
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"%PDF-1.7\n",
        b"PK\x03\x04",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"GIF89a",
        b"BM",
        b"II*\x00",
        b"MZ",
        b"\x7fELF",
    ]
    for index, magic in enumerate(magics):  # a magic with other content, and content under the wrong magic
        add(("wrong magic", f"magic{index}.jpg", magic + rng.randbytes(400)))
        add(("wrong magic", f"swap{index}.png", magic + seeds["png"][8:]))
        add(("wrong magic", f"swapj{index}.pdf", magic + seeds["jpg"][4:]))
    for fmt in ("GIF", "BMP", "TIFF", "ICO", "TGA", "PPM"):  # real images of formats we do not take
        add(("wrong magic", f"real.{fmt.lower()}", image_bytes(fmt, size=(32, 32))))
    add(("wrong magic", "legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(2048)))
    add(("wrong magic", "macro.docx", docx_bytes(main_type="application/vnd.ms-word.document.macroEnabled.main+xml")))
    for index in range(4):  # over the size limits (incompressible pixels, or padding after a valid file)
        add(("over-size", f"noise{index}.png", _noise_png(340 + index * 10, rng)))
        add(("over-size", f"padded{index}.pdf", PDF[:-6] + rng.randbytes(DOCUMENT_LIMIT + 10) + b"%%EOF\n"))
    for width, height in ((12000, 12000), (50000, 50000), (65535, 65535), (40000, 1001), (1, 2**31 - 1), (0, 10)):
        add(("huge dimensions", f"huge{width}x{height}.png", _png_with_size(width, height)))
        if width and width <= 65535 and height <= 65535:
            add(("huge dimensions", f"huge{width}x{height}.jpg", _jpeg_with_size(width, height)))
    add(("huge dimensions", "finding7.png", image_bytes("PNG", size=(12000, 12000), mode="1", optimize=True)))
    for kind in ("docx", "xlsx"):
        bomb = _office_bomb(kind)
        add(("zip bomb", f"bomb.{kind}", bomb))
        add(("zip bomb", f"bomb.{kind}.pdf", bomb))
        add(("zip bomb", f"nested.{kind}", _zip({"[Content_Types].xml": b"<Types/>", "a.zip": bomb})))
        many = {f"f{i}.xml": b"" for i in range(2100)}
        add(("zip bomb", f"many.{kind}", _zip({"[Content_Types].xml": b"<Types/>", **many}, zipfile.ZIP_STORED)))
    for index, junk in enumerate((script, b"<html>" + script, rng.randbytes(300), b"\x00" * 64)):
        add(("pdf junk", f"junk{index}.pdf", PDF + junk))  # junk after %%EOF
        add(("pdf junk", f"head{index}.pdf", b"%PDF-1.4\n" + junk))  # no structure at all
        add(("pdf junk", f"pre{index}.pdf", junk + PDF))  # junk before the header
    for index in range(120):
        add(
            (
                "random",
                f"random{index}.{('jpg', 'png', 'pdf', 'docx', 'xlsx', 'webp')[index % 6]}",
                rng.randbytes(rng.randrange(1, 3000)),
            )
        )
    return corpus


# --- the fields -------------------------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # "image", "letter", "xlsx"
    user: str
    post: object  # (client, world, upload, target object) -> response
    counted: tuple  # models whose row counts a refused request must leave alone
    prepare: object = None  # world -> the object the request acts on, made before the counts are taken
    always_redirects: bool = False  # the page redirects whatever happened: only the rows tell
    stats: Counter = field(default_factory=Counter)

    @property
    def api(self) -> bool:
        return self.name.startswith("API")


def _photos(*uploads):
    return list(uploads)


def _rectifying(world):  # noqa: D401
    """A ticket of unit A waiting for its rectification (a successful submit uses one up)."""
    from inspections.models import Ticket
    from inspections.tickets import services as tickets

    ticket = Ticket.objects.filter(unit=world.unit_a, status=Ticket.Status.RECTIFYING).order_by("pk").first()
    if ticket is None:
        ticket = tickets.ticket_report(
            actor=world.office, category=world.category, description="再次占道", source="patrol", site=world.site_a
        )
        ticket = tickets.ticket_dispatch(actor=world.office, ticket=ticket, unit=world.unit_a)
        ticket = tickets.ticket_sign(actor=world.unit, ticket=ticket)
    return ticket


def _visit(world):
    """An open patrol's visit at site A (patrol problems and fixes on the spot carry photos)."""
    from inspections.models import Patrol, PatrolVisit
    from inspections.sites.services import patrol_check_in, patrol_start

    visit = PatrolVisit.objects.filter(patrol__status=Patrol.Status.OPEN).first()
    if visit is None:
        patrol = patrol_start(actor=world.office, kind=Patrol.Kind.SPECIAL, title="专项检查")
        visit = patrol_check_in(
            actor=world.office, patrol=patrol, site=world.site_a, lat=world.site_a.lat, lng=world.site_a.lng
        )
    return visit


def _claimed_wish(world):
    from volunteers import services as volunteers
    from volunteers.models import MicroWish

    wish = MicroWish.objects.filter(claimed_by_unit=world.unit_a, status=MicroWish.Status.CLAIMED).first()
    if wish is None:
        wish = volunteers.microwish_claim(
            actor=world.unit,
            wish=volunteers.microwish_post(
                actor=world.office, community=world.community, resident_name="张三", title="修门"
            ),
        )
    return wish


def _good_jpeg():
    return SimpleUploadedFile("good.jpg", image_bytes("JPEG", size=(40, 30)))


def fields() -> list[Field]:
    from campaign.models import Assignment
    from evaluation.models import EvaluationItem
    from inspections.models import Site, Ticket, TicketEvent, TicketPhoto
    from publicity.models import Asset, AssetCheck, AssetPhoto
    from volunteers.models import MicroWish, Volunteer

    ticket_rows = (Ticket, TicketEvent, TicketPhoto)
    return [
        Field(
            "API tickets/ photos",
            "image",
            "unit",
            lambda c, w, f, o: c.post(
                "/api/v1/tickets/",
                {
                    "category": w.category.pk,
                    "site": w.site_a.pk,
                    "description": "占道",
                    "photos": _photos(_good_jpeg(), f),
                },
            ),
            ticket_rows,
        ),
        Field(
            "API tickets/{id}/submit/ photos",
            "image",
            "unit",
            lambda c, w, f, o: c.post(f"/api/v1/tickets/{o.pk}/submit/", {"note": "已整改", "photos": _photos(f)}),
            ticket_rows,
            _rectifying,
        ),
        Field(
            "page tickets/new/ photos",
            "image",
            "unit",
            lambda c, w, f, o: c.post(
                "/inspections/tickets/new/",
                {
                    "category": w.category.pk,
                    "site": w.site_a.pk,
                    "description": "占道",
                    "photos": _photos(f, _good_jpeg()),
                },
            ),
            ticket_rows,
        ),
        Field(
            "page tickets/{id}/submit/ photos",
            "image",
            "unit",
            lambda c, w, f, o: c.post(
                f"/inspections/tickets/{o.pk}/submit/", {"submit-note": "已整改", "submit-photos": _photos(f)}
            ),
            ticket_rows,
            _rectifying,
        ),
        Field(
            "page visits/{id}/problem/ photos",
            "image",
            "office",
            lambda c, w, f, o: c.post(
                f"/inspections/visits/{o.pk}/problem/",
                {"category": w.category.pk, "description": "占道", "photos": _photos(f)},
            ),
            ticket_rows,
            _visit,
            True,
        ),
        Field(
            "page visits/{id}/fix/ before/after photos",
            "image",
            "office",
            lambda c, w, f, o: c.post(
                f"/inspections/visits/{o.pk}/fix/",
                {
                    "category": w.category.pk,
                    "description": "占道",
                    "before_photos": _photos(_good_jpeg()),
                    "after_photos": _photos(f),
                },
            ),
            ticket_rows,
            _visit,
            True,
        ),
        Field(
            "API asset-checks/ photos",
            "image",
            "unit",
            lambda c, w, f, o: c.post(
                "/api/v1/asset-checks/",
                {"asset": w.asset_a.pk, "condition": "damaged", "note": "破损", "photos": _photos(_good_jpeg(), f)},
            ),
            (AssetCheck, AssetPhoto, Asset) + ticket_rows,
        ),
        Field(
            "page publicity/check/ photos",
            "image",
            "unit",
            lambda c, w, f, o: c.post(
                "/publicity/check/", {"asset": w.asset_a.pk, "condition": "good", "note": "", "photos": _photos(f)}
            ),
            (AssetCheck, AssetPhoto),
        ),
        Field(
            "page publicity/assets/new/ photos",
            "image",
            "office",
            lambda c, w, f, o: c.post(
                "/publicity/assets/new/",
                {"kind": "billboard", "theme": "文明", "site": w.site_a.pk, "quantity": 1, "photos": _photos(f)},
            ),
            (Asset, AssetPhoto),
        ),
        Field(
            "API micro-wishes/{id}/fulfil/ photo",
            "image",
            "unit",
            lambda c, w, f, o: c.post(f"/api/v1/micro-wishes/{o.pk}/fulfil/", {"photo": f, "note": "已完成"}),
            (MicroWish,),
            _claimed_wish,
        ),
        Field(
            "page micro-wishes/{id}/ fulfil photo",
            "image",
            "unit",
            lambda c, w, f, o: c.post(
                f"/volunteers/micro-wishes/{o.pk}/", {"action": "fulfil", "photo": f, "note": ""}
            ),
            (MicroWish,),
            _claimed_wish,
        ),
        Field(
            "API assignments/ responsibility_letter",
            "letter",
            "office",
            lambda c, w, f, o: c.post(
                "/api/v1/assignments/",
                {
                    "person": w.assignment2.person_id,
                    "region": w.community.pk,
                    "required_visits_per_week": 1,
                    "start_date": "2026-03-02",
                    "responsibility_letter": f,
                },
            ),
            (Assignment,),
        ),
        Field(
            "API assignments/{id}/ letter (PATCH)",
            "letter",
            "office",
            lambda c, w, f, o: c.generic(
                "PATCH", f"/api/v1/assignments/{w.assignment2.pk}/", *_multipart({"responsibility_letter": f})
            ),
            (Assignment,),
        ),
        Field(
            "page campaign/assignments/new/ letter",
            "letter",
            "office",
            lambda c, w, f, o: c.post(
                "/campaign/assignments/new/",
                {
                    "person": w.assignment2.person_id,
                    "region": w.community.pk,
                    "required_visits_per_week": 1,
                    "start_date": "2026-03-02",
                    "responsibility_letter": f,
                },
            ),
            (Assignment,),
        ),
        Field(
            "page inspections/sites/import/ .xlsx",
            "xlsx",
            "office",
            lambda c, w, f, o: c.post("/inspections/sites/import/", {"file": f}),
            (Site,),
        ),
        Field(
            "page evaluation/import/ .xlsx",
            "xlsx",
            "office",
            lambda c, w, f, o: c.post("/evaluation/import/", {"file": f}),
            (EvaluationItem,),
        ),
        Field(
            "page volunteers/people/import/ .xlsx",
            "xlsx",
            "office",
            lambda c, w, f, o: c.post("/volunteers/people/import/", {"file": f}),
            (Volunteer,),
        ),
    ]


def _multipart(data):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return encode_multipart(BOUNDARY, data), MULTIPART_CONTENT


# --- measuring ---------------------------------------------------------------------------------------------------


class PeakRss:
    """Samples the process's resident memory every 4 ms (Pillow decodes outside the GIL) to find each request's
    peak above what it started with; ru_maxrss cannot, as it only ever grows over the whole test run."""

    def __init__(self):
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._peak = 0
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def current(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self._page

    def _sample(self):
        while self._running:
            self._peak = max(self._peak, self.current())
            time.sleep(0.004)

    def measure(self, call):
        start = self.current()
        self._peak = start
        result = call()
        self._peak = max(self._peak, self.current())
        return result, (self._peak - start) / 1024 / 1024

    def stop(self):
        self._running = False
        self._thread.join()


def _media_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _check_stored(path: Path) -> str:
    """'jpeg' for a re-encoded photo, or the document kind; fails the test for anything else."""
    data = path.read_bytes()
    if data.startswith(b"\xff\xd8\xff"):
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG", path
            image.load()
            assert "exif" not in image.info, path
        assert path.suffix == ".jpg", path
        return "jpeg"
    kind = files.check_document(
        SimpleUploadedFile(path.name, data), field="file", kinds=(files.PDF, files.DOCX, files.XLSX)
    ).extension
    assert path.suffix == f".{kind}", path
    return kind


def test_finding_1_a_script_in_a_photo_never_comes_back_as_html(client, media_root, world):
    from publicity.models import AssetPhoto

    client.force_login(world.unit)
    png_with_script = image_bytes("PNG") + b"<script>alert(document.cookie)</script>"
    for name in ("x.html", "x.svg"):
        response = client.post(
            "/api/v1/asset-checks/",
            {
                "asset": world.asset_a.pk,
                "condition": "good",
                "note": "",
                "photos": [SimpleUploadedFile(name, png_with_script, content_type="text/html")],
            },
        )
        assert response.status_code == 201, response.content
        (url,) = response.json()["photos"]
        assert url.endswith(".jpg") and name not in url
        photo = AssetPhoto.objects.get(image=url.split("/media/", 1)[1])
        stored = Path(photo.image.path).read_bytes()
        assert stored[:3] == b"\xff\xd8\xff" and b"<script" not in stored
        served = client.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
        assert "html" not in served["Content-Type"] and "svg" not in served["Content-Type"]


@pytest.fixture
def quiet_refusals():
    """Each refused request logs a "Bad Request" warning; a thousand of them cost seconds. Errors still log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_upload_attack_on_every_field(media_root, world, show, quiet_refusals):
    rng = random.Random(9)
    corpus = build_corpus(rng)
    targets = fields()
    sampler = PeakRss()
    known_files = _media_files(media_root)
    clients = {}
    worst = (0.0, "")
    errors = []
    started = time.perf_counter()
    try:
        for index, target in enumerate(targets):
            from django.test import Client

            if target.user not in clients:
                clients[target.user] = Client()
                clients[target.user].force_login(getattr(world, target.user))
            http = clients[target.user]
            # Each field gets one file in SPREAD of the corpus (interleaved, so every family reaches every field).
            share = [item for number, item in enumerate(corpus) if (number + index) % SPREAD == 0]
            if index == 0:
                share.insert(0, at_the_limit())  # the costliest request that must succeed: measured, not refused
            for family, name, data in share:
                obj = target.prepare(world) if target.prepare else None
                before_rows = {model.__name__: model.objects.count() for model in target.counted}
                before_files = known_files
                upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
                response, peak_mb = sampler.measure(lambda: target.post(http, world, upload, obj))  # noqa: B023 (called at once)
                target.stats["requests"] += 1
                if peak_mb > worst[0]:
                    worst = (peak_mb, f"{target.name} ← {family} {name}")
                status = response.status_code
                if status >= 500:
                    target.stats["5xx"] += 1
                    errors.append(f"{target.name} ← {family} {name}: {status}")
                    continue
                after_rows = {model.__name__: model.objects.count() for model in target.counted}
                known_files = _media_files(media_root)
                new_files = known_files - before_files
                # A page that refuses shows the form again (200 or 400); it redirects after a success.
                if target.always_redirects:
                    refused = after_rows == before_rows
                else:
                    refused = status >= 400 if target.api else status != 302
                if refused:
                    target.stats["refused"] += 1
                    if after_rows != before_rows or new_files:
                        errors.append(
                            f"{target.name} ← {family} {name}: refused ({status}) but changed "
                            f"{before_rows} → {after_rows}, files {sorted(new_files)}"
                        )
                else:
                    target.stats["stored"] += 1
                    for stored in new_files:
                        _check_stored(media_root / stored)
    finally:
        sampler.stop()
    elapsed = time.perf_counter() - started

    kinds = Counter(_check_stored(media_root / name) for name in _media_files(media_root))
    families = Counter(family for family, _name, _data in corpus)
    total = sum(t.stats["requests"] for t in targets)
    lines = [
        "",
        f"Upload attack: {len(corpus)} generated bad files, each posted to one in {SPREAD} of the "
        f"{len(targets)} upload fields (interleaved), plus one valid photo at the pixel limit: {total} requests in {elapsed:.1f} s",  # noqa: E501
        "  corpus: " + ", ".join(f"{family} {count}" for family, count in sorted(families.items())),
        f"  {'field':<46} {'requests':>8} {'stored':>7} {'refused':>8} {'5xx':>4}",
    ]
    for target in targets:
        s = target.stats
        lines.append(f"  {target.name:<46} {s['requests']:>8} {s['stored']:>7} {s['refused']:>8} {s['5xx']:>4}")
    lines.append(f"  files in MEDIA_ROOT afterwards: {dict(kinds)} (every one re-encoded JPEG or checked document)")
    lines.append(f"  peak memory of the worst request: {worst[0]:.1f} MB ({worst[1]})")
    report = "\n".join(lines)
    show(report)
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "upload-attack.txt").write_text(report + "\n", encoding="utf-8")
    assert not errors, "\n".join(errors[:30])
    assert (
        len(corpus) >= 1000 and total - 1 >= 1000 and all(t.stats["requests"] >= len(corpus) // SPREAD for t in targets)
    )
    assert sum(t.stats["5xx"] for t in targets) == 0
    assert worst[0] < MEMORY_LIMIT_MB
    assert {t.kind for t in targets} == {"image", "letter", "xlsx"}  # photos, documents and imports were attacked
