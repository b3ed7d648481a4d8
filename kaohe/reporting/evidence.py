"""Evidence files: checked by their content (not their name), kept outside the web root."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .models import Evidence

# What a unit may attach (PDF, images, Office documents), by the type its bytes show.
ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP", "image/bmp": "BMP",
    "image/tiff": "TIFF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/msword": "Word 97-2003", "application/vnd.ms-excel": "Excel 97-2003",
    "application/vnd.ms-powerpoint": "PowerPoint 97-2003",
    "application/vnd.oasis.opendocument.text": "ODT", "application/vnd.oasis.opendocument.spreadsheet": "ODS",
}
ALLOWED_LABEL = "PDF、JPG/PNG 等图片、Word、Excel、PowerPoint"
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_OLE2_BY_SUFFIX = {".doc": "application/msword", ".xls": "application/vnd.ms-excel",
                   ".ppt": "application/vnd.ms-powerpoint"}
_OOXML_PART = {"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


class EvidenceRefused(Exception):
    """An upload that is not kept, with the reason for the person who sent it."""


def sniff(head: bytes, f: UploadedFile) -> str | None:
    """The file's type from its bytes. Office files are zip (OOXML) or OLE2 containers: look inside."""
    if head.startswith(_OLE2):
        # an OLE2 container says nothing simple about which Office program wrote it; its name decides among the three
        return _OLE2_BY_SUFFIX.get(PurePath(f.name or "").suffix.lower())
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime == "application/zip" or kind.mime in _OOXML_PART.values():
        f.seek(0)
        try:
            with zipfile.ZipFile(f) as z:
                names = z.namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, mime in _OOXML_PART.items():
                if any(n.startswith(prefix) for n in names):
                    return mime
        if "mimetype" in names:
            with zipfile.ZipFile(f) as z:
                declared = z.read("mimetype").decode("ascii", "replace").strip()
            return declared if declared in ALLOWED else None
        return None
    return kind.mime


def store_evidence(*, by, cycle, unit, upload: UploadedFile) -> Evidence:
    """Check an upload's size and content and keep it; raise EvidenceRefused (and keep nothing) otherwise.

    Call inside the transaction that attaches it, so that a later failure keeps no row.
    """
    limit = settings.KAOHE_MAX_UPLOAD
    if upload.size > limit:
        raise EvidenceRefused(_("“%(name)s”超过大小上限 %(mb)d MB，未保存。") % {"name": upload.name, "mb": limit // 2**20})
    if upload.size == 0:
        raise EvidenceRefused(_("“%(name)s”是空文件，未保存。") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(8192)
    mime = sniff(head, upload)
    if mime not in ALLOWED:
        raise EvidenceRefused(_("“%(name)s”的内容不是允许的文件类型（%(allowed)s），未保存。")
                              % {"name": upload.name, "allowed": ALLOWED_LABEL})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = PurePath(upload.name or "file").name[:200]
    evidence = Evidence(cycle=cycle, unit=unit, name=name, size=upload.size, mime=mime, sha256=digest.hexdigest(),
                        uploaded_by=by)
    # stored under a name of our own: the person's file name is kept only as a label
    suffix = PurePath(name).suffix.lower()[:10]
    evidence.file.save(f"{digest.hexdigest()[:32]}{suffix}", upload, save=False)
    evidence.save()
    return evidence


def store_evidence_files(*, by, cycle, unit, uploads) -> list[Evidence]:
    """Keep every upload or none: a refused file removes those already written to disk."""
    kept: list[Evidence] = []
    try:
        for upload in uploads:
            kept.append(store_evidence(by=by, cycle=cycle, unit=unit, upload=upload))
    except EvidenceRefused:
        for e in kept:
            e.file.delete(save=False)
        raise
    return kept
