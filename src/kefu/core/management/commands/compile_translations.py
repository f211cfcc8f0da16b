from django.core.management.base import BaseCommand

from kefu.core.i18n import compile_translations


class Command(BaseCommand):
    help = "Compile every app's .po files to .mo (pure Python, no gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        written = compile_translations(force=force)
        self.stdout.write(f"compiled {len(written)} translation file(s)")
