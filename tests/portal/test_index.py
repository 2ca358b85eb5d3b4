"""The portal's front door (portal/views.py index)."""


def test_the_front_door_lists_every_service_and_the_hotline_hours(client):
    page = client.get("/portal/").get_data(as_text=True)
    for path in ("/portal/report", "/portal/track", "/portal/complain", "/portal/verify",
                 "/portal/commitments"):
        assert f'href="{path}"' in page, path
    assert "08:00" in page or ":00-" in page
