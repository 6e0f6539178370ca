def test_the_openapi_document_describes_every_api_route(client, app):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {path for path in spec["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json"):
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            assert path.removeprefix("/api/v1") in documented or path in documented, rule.rule


def test_the_error_schema_is_the_one_shape(client):
    spec = client.get("/api/v1/openapi.json").json
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]


def test_writes_declare_bearer_security(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["paths"]["/api/v1/regulations"]["post"]["security"] == [{"bearer": []}]
