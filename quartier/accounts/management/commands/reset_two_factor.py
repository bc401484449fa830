from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import get_language

from quartier.accounts.models import User
from quartier.accounts.security import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes (they set them up anew at the "
        "next login), e.g. for the last admin, who cannot use the back office without them."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        two_factor_reset(
            by=None, user=user, language=get_language() or "de", via="reset_two_factor"
        )
        self.stdout.write(f"The second factor of {user.username} is reset.")
