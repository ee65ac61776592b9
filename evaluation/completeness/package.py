"""The material package (材料包): every accepted current submission's files in one .zip for the national online
submission system (网上申报系统), laid out as

    <测评项目>/<测评内容>/<测评标准>/<unit>/<file>

(each folder "code text", made safe for file systems and zip readers), with an index workbook at the top
(standard, path in the zip, unit, version, accepted by, accepted at).

Built by a background job (`evaluation.package_build`) that streams: the zip is written to a temporary file one
stored file at a time, each copied in chunks, so memory stays flat however large the package is; `files_done` is
saved every PROGRESS_EVERY files so the page can show progress; the finished file goes to the FileField under a
random name (packages/…), served by core.media to the office and the leader only (evaluation/visibility.py).

Only ACCEPTED CURRENT versions go in: never a returned, draft or submitted version, never an older version.
"""

import logging
import re
import shutil
import tempfile
import unicodedata
import zipfile
from datetime import datetime

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.exceptions import NotPermitted
from core.files import random_name
from core.registry import city_wide, get_visible
from core.scope import scope_of
from core.xlsx import xlsx_bytes
from evaluation.models import MaterialFile, MaterialPackage, MaterialSubmission

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 50
CHUNK = 1024 * 1024
NAME_LIMIT = 60  # characters of one folder or file name (zip readers and Windows paths stay comfortable)
# Already compressed: stored as they are (deflating them again costs time and saves nothing).
STORED_KINDS = {"jpg", "jpeg", "png", "webp", "docx", "xlsx", "zip"}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(text: str, *, limit: int = NAME_LIMIT, default: str = "_") -> str:
    """One path part that every file system and zip reader accepts: no slashes, no characters Windows refuses, no
    control characters, no leading dots (nothing like ".."), trimmed to `limit` characters (the extension kept)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = _UNSAFE.sub("_", text)
    text = " ".join(text.split()).strip(" .")
    if not text:
        return default
    if len(text) > limit:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 8 and stem:
            text = stem[: limit - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            text = text[:limit].rstrip(" .")
    return text or default


def item_folder(code: str, text: str) -> str:
    return safe_name(f"{code} {text}".strip())


def unique_name(name: str, taken: set) -> str:
    """`name`, or "stem (2).ext", "stem (3).ext"… when the folder already holds it (case-insensitively)."""
    candidate = name
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    number = 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = f"{stem}{suffix}.{extension}" if extension else f"{stem}{suffix}"
    taken.add(candidate.lower())
    return candidate


def accepted_files():
    """The files of every accepted current version, in the package's order (project, content, standard, unit)."""
    submissions = city_wide(MaterialSubmission).filter(is_current=True, status=MaterialSubmission.Status.ACCEPTED)
    return (
        MaterialFile.objects.filter(submission__in=submissions)
        .select_related(
            "submission__unit",
            "submission__reviewed_by",
            "submission__requirement__standard__parent__parent",
        )
        .order_by(
            "submission__requirement__standard__parent__parent__sort_order",
            "submission__requirement__standard__parent__parent__code",
            "submission__requirement__standard__parent__sort_order",
            "submission__requirement__standard__parent__code",
            "submission__requirement__standard__sort_order",
            "submission__requirement__standard__code",
            "submission__unit__name",
            "submission__requirement_id",
            "id",
        )
    )


def entry_path(stored: MaterialFile) -> list[str]:
    """The folders of one file: project / content / standard / unit."""
    standard = stored.submission.requirement.standard
    content = standard.parent
    project = content.parent if content else None
    parts = []
    for item in (project, content):
        parts.append(item_folder(item.code, item.text) if item else safe_name(_("Other")))
    parts.append(item_folder(standard.code, standard.text))
    parts.append(safe_name(stored.submission.unit.name))
    return parts


# --- Writes ------------------------------------------------------------------------------------------


def package_request(*, actor) -> MaterialPackage:
    """The office asks for a package (the API's 202, the page's button): a queued row; the job builds it."""
    scope = scope_of(actor)
    if not scope.is_office or scope.read_only:
        raise NotPermitted(_("Only the campaign office may build the material package."))
    with transaction.atomic():
        package = MaterialPackage.objects.create(created_by=actor)
        transaction.on_commit(lambda: _enqueue(package.pk))
    return package


def _enqueue(package_id):
    from .tasks import build_package

    build_package.delay(package_id)


def package_build(*, package_id: int) -> MaterialPackage | None:
    """Build the package (the job). Safe to run twice: only a queued or failed package starts building."""
    started = MaterialPackage.objects.filter(
        pk=package_id, status__in=(MaterialPackage.Status.QUEUED, MaterialPackage.Status.FAILED)
    ).update(status=MaterialPackage.Status.BUILDING, files_done=0, error="")
    package = MaterialPackage.objects.filter(pk=package_id).first()
    if not started or package is None:
        return package
    try:
        # Folder and index names in the city's language, whatever the worker's.
        with translation.override(settings.LANGUAGE_CODE):
            _build(package)
    except Exception as exc:  # the job records every failure on the row (the page shows it) and ends
        logger.exception("material package %s failed", package_id)
        MaterialPackage.objects.filter(pk=package_id).update(
            status=MaterialPackage.Status.FAILED,
            error=str(exc)[:1000] or exc.__class__.__name__,
            finished_at=timezone.now(),
        )
    package.refresh_from_db()
    return package


def _build(package: MaterialPackage) -> None:
    files = accepted_files()
    total = files.count()
    MaterialPackage.objects.filter(pk=package.pk).update(files_total=total)
    index_rows = []
    taken: dict[str, set] = {}
    now = timezone.localtime()
    with tempfile.TemporaryFile(suffix=".zip") as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for done, stored in enumerate(files.iterator(chunk_size=500), start=1):
                folders = entry_path(stored)
                folder = "/".join(folders)
                name = unique_name(
                    safe_name(stored.name or stored.file.name.rsplit("/", 1)[-1]), taken.setdefault(folder, set())
                )
                path = f"{folder}/{name}"
                _copy_into(archive, stored, path, now)
                submission = stored.submission
                standard = submission.requirement.standard
                index_rows.append(
                    (
                        standard.code,
                        standard.text,
                        submission.requirement.title,
                        path,
                        submission.unit.name,
                        submission.version,
                        submission.reviewed_by.get_username() if submission.reviewed_by else "",
                        submission.reviewed_at,
                    )
                )
                if done % PROGRESS_EVERY == 0:
                    MaterialPackage.objects.filter(pk=package.pk).update(files_done=done)
            index = xlsx_bytes(
                headers=[
                    _("Standard code"),
                    _("Standard"),
                    _("Requirement"),
                    _("File in the package"),
                    _("Unit"),
                    _("Version"),
                    _("Accepted by"),
                    _("Accepted at"),
                ],
                rows=index_rows,
                sheet_title=_("Index"),
            )
            index_name = safe_name(_("Material index")) + ".xlsx"
            archive.writestr(_zip_info(index_name, now, zipfile.ZIP_STORED), index)
        size = spool.tell()
        spool.seek(0)
        package.file.save(random_name("zip"), File(spool, name="package.zip"), save=False)
    MaterialPackage.objects.filter(pk=package.pk).update(
        status=MaterialPackage.Status.READY,
        file=package.file.name,
        size=size,
        files_done=F("files_total"),
        finished_at=timezone.now(),
    )


def _zip_info(path: str, when: datetime, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=when.timetuple()[:6])
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _copy_into(archive: zipfile.ZipFile, stored: MaterialFile, path: str, when: datetime) -> None:
    kind = (stored.kind or stored.file.name.rsplit(".", 1)[-1]).lower()
    compression = zipfile.ZIP_STORED if kind in STORED_KINDS else zipfile.ZIP_DEFLATED
    info = _zip_info(path, when, compression)
    with stored.file.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, CHUNK)


def package_for(user, pk) -> MaterialPackage:
    return get_visible(MaterialPackage, user, pk=pk)
