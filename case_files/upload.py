"""Stopping an oversized upload while it arrives, before it fills memory or the disk.

Django's own handlers keep a whole upload (in memory or a temporary file) before
a form can look at its size. This handler goes first and counts: once a file
passes ``CASE_FILE_MAX_BYTES`` it swallows the rest of that file, so the
handlers after it keep at most the limit, and it hands the form an empty file
marked ``too_large``, which the validation turns into its "too large" message
with the other fields of the form kept.
"""

from __future__ import annotations

import contextlib
import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from case_files.validation import max_bytes

__all__ = ["SizeLimitUploadHandler", "TooLargeUpload", "install"]


class TooLargeUpload(UploadedFile):
    """Stands in for a file that was cut off at the limit; holds no content."""

    too_large = True

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.received = 0
        self.exceeded = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            return None  # the handlers after this one see no more of this file
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.exceeded:
            return TooLargeUpload(self.file_name, self.received, self.content_type)
        return None


def install(request) -> None:
    """Put the size limit first; too late (the body is read already) changes nothing."""
    with contextlib.suppress(AttributeError):
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
