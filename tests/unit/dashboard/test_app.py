import plotly.io as pio


def test_the_app_writes_json_as_the_image_does_whatever_the_machine_has(app):
    # Without orjson in the image plotly uses the json module there; a test machine's own
    # orjson (3.8.3 here crashed the app with SIGILL) must not change what is served.
    assert app.server is not None
    assert pio.json.config.default_engine == "json"
