"""Private files in S3-compatible object storage (AWS S3, MinIO, Garage, Ceph),
through django-storages and boto3. Used when FILE_STORAGE=s3; see
docs/configuration.md and docs/deployment.md ("More than one machine").

Objects are written without an ACL, so they take the bucket's own (private)
setting, and have no URL: the app streams them after its authorisation check.
An object becomes visible only when its upload completes; an upload that fails
part-way (multipart included) is aborted and leaves nothing readable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from storages.backends.s3 import S3Storage

from tending.lib.files import NoPublicURL


class PrivateS3Storage(S3Storage):
    default_acl = None
    querystring_auth = True

    def __init__(self, **options: Any) -> None:
        options.setdefault("file_overwrite", True)  # names are random: no HEAD per upload
        options.setdefault("max_memory_size", 2 * 1024 * 1024)  # larger reads spill to DATA_DIR/tmp
        super().__init__(**options)

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        raise NoPublicURL("private files have no URL")

    def download(self, name: str, out: Any) -> None:
        """Write the object into the open file `out`, straight from the bucket.
        FileNotFoundError when there is no such object."""
        from botocore.exceptions import ClientError
        from storages.utils import clean_name

        key = self._normalize_name(clean_name(name))
        try:
            self.bucket.Object(key).download_fileobj(out, Config=self.transfer_config)
        except ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                raise FileNotFoundError(name) from None
            raise

    def entries(self) -> Iterator[tuple[str, float]]:
        """(name, modified timestamp) of every object under this storage's prefix,
        from the listing itself (no request per object)."""
        location = self.location.strip("/")
        prefix = f"{location}/" if location else ""
        pages = self.connection.meta.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket_name, Prefix=prefix
        )
        for page in pages:
            for item in page.get("Contents", ()):
                name = item["Key"][len(prefix) :]
                if name and "/" not in name:
                    yield name, item["LastModified"].timestamp()
