"""Product categories are one vocabulary: chosen from named categories, refused when
unknown, shown in words wherever a page names one."""

from flask_babel import refresh

from aftersales.customers.labels import category_label
from tests.conftest import csrf_from
from tests.factories import bearer, make_customer, make_outlet, make_token, make_user
from tests.outlets.factories import load_small_map

PRODUCT = {"model_code": "KFR-35GW", "name": "挂壁式空调", "warranty_months": 12}


def _in_english(client):
    client.set_cookie("lang", "en")
    refresh()  # the test's app context keeps the language of its earlier requests


def test_a_product_of_an_unknown_category_is_refused_on_the_field(client):
    response = client.post("/api/v1/products", json={**PRODUCT, "category": "fridge"},
                           headers=bearer(make_token(make_user("manager"))))
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["category"]


def test_a_product_of_a_known_category_is_recorded(client):
    response = client.post("/api/v1/products", json={**PRODUCT, "category": "air_conditioner"},
                           headers=bearer(make_token(make_user("manager"))))
    assert response.status_code == 201


def test_an_outlet_serving_an_unknown_category_is_refused(client):
    load_small_map()
    response = client.post("/api/v1/outlets", json={
        "code": "WH-02", "name": "武汉汉阳授权网点", "kind": "self_operated",
        "province": "湖北省", "city": "甲市", "region_code": "420105", "address": "汉阳大道1号",
        "latitude": "30.000000", "longitude": "110.000000", "categories": ["fridge"],
    }, headers=bearer(make_token(make_user("manager"))))
    assert response.status_code == 422
    assert "categories" in response.json["errors"]


def test_a_category_from_before_the_vocabulary_is_shown_as_it_was_typed():
    assert category_label("sewing_machine") == "sewing_machine"


def test_the_outlet_form_offers_the_categories_by_name(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    _in_english(client)
    page = client.get("/outlets/new").get_data(as_text=True)
    assert 'name="categories" value="air_conditioner"' in page
    assert "Air conditioner" in page and "air_conditioner," not in page


def test_the_outlet_offered_for_new_work_names_the_categories_it_serves(client, sign_in):
    make_outlet("BJ-CY", name="朝阳服务站", latitude="39.920000", longitude="116.450000",
                categories=["air_conditioner", "refrigerator"])
    make_user("agent", username="zhangmin")
    customer = make_customer()
    sign_in("zhangmin")
    _in_english(client)
    page = client.get(f"/tickets/new?customer_id={customer.id}").get_data(as_text=True)
    assert "Air conditioner、Refrigerator" in page


def test_a_qualification_rule_names_its_category_in_words(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    path = "/training/rules"
    client.post(path, data={"certificate_type": "refrigeration",
                            "product_category": "air_conditioner",
                            "csrf_token": csrf_from(client, path)})
    _in_english(client)
    page = client.get(path).get_data(as_text=True)
    assert ">Air conditioner</td>" in page and 'name="product_category"' in page
    assert '<option value="air_conditioner"' in page


def test_a_qualification_rule_for_an_unknown_category_is_refused_beside_it(client, sign_in):
    make_user("manager", username="lijing")
    sign_in("lijing")
    path = "/training/rules"
    response = client.post(path, data={"certificate_type": "refrigeration",
                                       "product_category": "fridge",
                                       "csrf_token": csrf_from(client, path)})
    assert response.status_code == 422
    assert 'id="e-product_category"' in response.get_data(as_text=True)
