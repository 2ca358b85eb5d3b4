"""The one set of masking rules every printed sheet uses."""

from aftersales.core.privacy import coarse_point, mask_address, mask_phone


def test_a_phone_keeps_enough_to_recognise_not_to_call():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-62345678") == "021****5678"


def test_masking_keeps_short_numbers_unreadable():
    assert mask_phone("12345") == "***45"
    assert mask_phone("") == "—"


def test_an_address_keeps_its_district():
    assert mask_address("福建省厦门市思明区湖滨南路558号17栋2041室") == "福建省厦门市思明区****"
    assert mask_address("上海市浦东新区张江路1号") == "上海市浦东新区****"


def test_an_address_without_a_district_keeps_its_city():
    assert mask_address("杭州市文三路90号") == "杭州市****"


def test_an_address_naming_no_place_keeps_its_first_third():
    assert mask_address("湖滨南路558号") == "湖滨****"  # 8 characters: the first 8 // 3 = 2 kept


def test_an_address_that_is_only_a_district_has_nothing_to_hide():
    assert mask_address("北京市朝阳区") == "北京市朝阳区"
    assert mask_address(None) == "—"


def test_a_home_is_placed_to_about_a_kilometre():
    assert coarse_point(24.431940, 118.097120) == "24.43, 118.10"
