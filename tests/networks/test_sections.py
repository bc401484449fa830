from django.urls import reverse


def test_area_start_page_lists_the_bodies_working_there(world):
    response = world.client("anonymous").get(
        reverse("areas:detail", kwargs={"slug": world.district.slug})
    )
    assert f'href="{world.body.get_absolute_url()}"' in response.content.decode()


def test_private_body_is_not_on_the_area_page(world):
    world.body.is_public = False
    world.body.save()
    response = world.client("anonymous").get(
        reverse("areas:detail", kwargs={"slug": world.district.slug})
    )
    assert f'href="{world.body.get_absolute_url()}"' not in response.content.decode()


def test_dashboard_shows_the_users_bodies(world):
    html = world.client("coordinator").get(reverse("backoffice:dashboard")).content.decode()
    assert f"/verwaltung/networks/{world.body.slug}/" in html
    assert "Übersicht für die Planung" not in html
    planner = world.client("planner").get(reverse("backoffice:dashboard")).content.decode()
    assert "Übersicht für die Planung" in planner
    resident = world.client("resident").get(reverse("backoffice:dashboard")).content.decode()
    assert f"/verwaltung/networks/{world.body.slug}/" not in resident
