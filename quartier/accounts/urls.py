from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from quartier.accounts import auth_views as login_views
from quartier.accounts import passkey_views, privacy_views, twofactor_views, views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", login_views.LoginView.as_view(), name="login"),
    path("anmelden/code/", login_views.login_verify, name="login_verify"),
    path(
        "anmelden/schluessel/optionen/", passkey_views.login_key_options, name="login_key_options"
    ),
    path("anmelden/schluessel/", passkey_views.login_key, name="login_key"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrieren/", views.signup, name="signup"),
    path("registrieren/gesendet/", views.signup_sent, name="signup_sent"),
    path("registrieren/bestaetigen/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("profil/", views.profile, name="profile"),
    path(
        "passwort/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "passwort/geaendert/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    path("passwort/vergessen/", login_views.password_reset, name="password_reset"),
    path(
        "passwort/vergessen/gesendet/",
        login_views.password_reset_sent,
        name="password_reset_sent",
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        login_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort/neu/fertig/",
        login_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("zwei-faktor/", twofactor_views.two_factor, name="two_factor"),
    path("zwei-faktor/einrichten/", twofactor_views.two_factor_setup, name="two_factor_setup"),
    path("zwei-faktor/codes/", twofactor_views.recovery_codes, name="recovery_codes"),
    path(
        "zwei-faktor/ausschalten/",
        twofactor_views.two_factor_disable_view,
        name="two_factor_disable",
    ),
    path("zwei-faktor/schluessel/", passkey_views.security_keys, name="security_keys"),
    path(
        "zwei-faktor/schluessel/optionen/",
        passkey_views.security_key_register_options,
        name="security_key_register_options",
    ),
    path(
        "zwei-faktor/schluessel/neu/",
        passkey_views.security_key_register,
        name="security_key_register",
    ),
    path(
        "zwei-faktor/schluessel/<int:pk>/umbenennen/",
        passkey_views.security_key_rename_view,
        name="security_key_rename",
    ),
    path(
        "zwei-faktor/schluessel/<int:pk>/entfernen/",
        passkey_views.security_key_remove_view,
        name="security_key_remove",
    ),
    path("loeschen/", views.delete_account, name="delete"),
    path("meine-daten/", privacy_views.my_data, name="my_data"),
    path("datenauskunft/", privacy_views.privacy_request, name="privacy_request"),
    path(
        "datenauskunft/gesendet/",
        privacy_views.privacy_request_sent,
        name="privacy_request_sent",
    ),
    path("datenauskunft/<str:token>/", privacy_views.privacy_data, name="privacy_data"),
]
