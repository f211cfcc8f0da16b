"""Archive audit months older than the retention now, or check the archive files."""

from django.core.management.base import BaseCommand, CommandError

from kefu.audit import archive


class Command(BaseCommand):
    help = ("Export audit entries older than the retention parameter to monthly compressed files (the worker "
            "does this every 6 hours); --verify checks every archive file against its checksum.")

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help="check the files instead of archiving")

    def handle(self, *args, verify=False, **options):
        directory = archive.archive_dir()
        if verify:
            checks = archive.audit_archive_verify()
            for check in checks:
                self.stdout.write(f"{check.state:<8} {check.archive.file_name} ({check.archive.entry_count} entries)")
            bad = [c for c in checks if c.state != "ok"]
            if bad:
                raise CommandError(f"{len(bad)} archive file(s) missing or changed in {directory}.")
            self.stdout.write(f"{len(checks)} archive file(s) in {directory} match their checksums.")
            return
        made = archive.audit_archive_due()
        for a in made:
            self.stdout.write(f"archived {a.entry_count} entries to {directory / a.file_name}")
        self.stdout.write(f"{len(made)} month(s) archived; retention {archive.retention_months()} months.")
