"""Zip containers (DOCX, XLSX, ODF) checked before any parser opens them: how many members, how large each one
inflates and by what ratio, so that a few megabytes inflating to gigabytes are refused in milliseconds."""

from __future__ import annotations

import io
import zipfile

from policywatch.limits import MB, Limits, current

RATIO_FLOOR = 1 * MB  # small members may compress very well (a blank sheet); the ratio applies above this size


def check_zip(data: bytes, kind: str, limits: Limits | None = None) -> None:
    """ValueError naming the first bound a zip container passes (member count, member size, total, ratio)."""
    limits = limits or current()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ValueError(f"corrupt {kind} (not a readable zip: {exc.__class__.__name__})") from None
    if len(members) > limits.zip_members:
        raise ValueError(f"{kind} with {len(members)} parts, more than the limit of {limits.zip_members}")
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > limits.zip_member_bytes:
            raise ValueError(f"{kind} part {member.filename} inflates to {size / MB:.0f} MB, more than the limit "
                             f"of {limits.zip_member_bytes / MB:g} MB (POLICYWATCH_ZIP_MEMBER_BYTES)")
        if size > RATIO_FLOOR and size > limits.zip_ratio * max(member.compress_size, 1):
            raise ValueError(f"{kind} part {member.filename} inflates {size // max(member.compress_size, 1)} times "
                             f"(a zip bomb?), more than the limit of {limits.zip_ratio} (POLICYWATCH_ZIP_RATIO)")
    if total > limits.zip_total_bytes:
        raise ValueError(f"{kind} inflates to {total / MB:.0f} MB, more than the limit of "
                         f"{limits.zip_total_bytes / MB:g} MB (POLICYWATCH_ZIP_TOTAL_BYTES)")
