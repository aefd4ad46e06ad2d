"""Uploaded files on disk, with nothing left behind when writing one fails.

Django's FileSystemStorage leaves the part it wrote when the disk fills up mid-file. Here
the name is settled before writing (our upload names are random, so no one else takes
it meanwhile), and a failed write removes what it wrote before the error goes on."""

import errno
import os

from django.core.files.storage import FileSystemStorage

# The errors that say the disk (or the account's quota) is full.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in NO_SPACE


class CleanFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        name = self.get_available_name(name)
        try:
            return super()._save(name, content)
        except OSError:
            try:
                os.remove(self.path(name))
            except FileNotFoundError:
                pass
            raise
