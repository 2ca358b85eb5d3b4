import random
from datetime import date, timedelta

from geopy.distance import geodesic
from sqlalchemy.orm import Session

from aftersales.core.geo import RegistryGeocoder
from aftersales.customers.services import (
    create_customer,
    create_part,
    create_product,
    register_serial,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
         "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强")
COMPANIES = ("酒店管理有限公司", "物业服务有限公司", "餐饮管理有限公司", "商贸有限公司",
             "科技有限公司", "医院后勤部")
# province, city, districts, streets
PLACES = (
    ("北京市", "北京市", ("朝阳区", "海淀区", "丰台区"), ("建国路", "中关村大街", "丰台路")),
    ("上海市", "上海市", ("浦东新区", "徐汇区", "静安区"), ("张杨路", "漕溪北路", "南京西路")),
    ("广东省", "广州市", ("天河区", "越秀区", "海珠区"), ("天河路", "中山五路", "江南大道")),
    ("广东省", "深圳市", ("南山区", "福田区", "宝安区"), ("深南大道", "科技园路", "新安路")),
    ("浙江省", "杭州市", ("西湖区", "拱墅区", "滨江区"), ("文三路", "莫干山路", "江南大道")),
    ("江苏省", "南京市", ("鼓楼区", "玄武区", "建邺区"), ("中山北路", "珠江路", "江东中路")),
    ("四川省", "成都市", ("武侯区", "锦江区", "青羊区"), ("人民南路", "春熙路", "蜀都大道")),
    ("湖北省", "武汉市", ("江汉区", "武昌区", "洪山区"), ("解放大道", "中南路", "珞喻路")),
    ("陕西省", "西安市", ("雁塔区", "碑林区"), ("小寨东路", "南大街")),
    ("河南省", "郑州市", ("金水区", "二七区"), ("花园路", "大学路")),
    ("辽宁省", "沈阳市", ("和平区", "沈河区"), ("南京北街", "青年大街")),
    ("湖南省", "长沙市", ("岳麓区", "芙蓉区"), ("麓山南路", "五一大道")),
    ("山东省", "济南市", ("历下区", "市中区"), ("泉城路", "经十路")),
    ("福建省", "厦门市", ("思明区", "湖里区"), ("厦禾路", "湖滨南路")),
)
# model, name, category, warranty months, labour fee (fen), safe-use years
PRODUCTS = (
    ("KFR-35GW/A1", "挂壁式变频空调 1.5匹", "air_conditioner", 72, 8000, None),
    ("KFR-72LW/B2", "立柜式变频空调 3匹", "air_conditioner", 72, 12000, None),
    ("BCD-520W", "对开门冰箱 520升", "refrigerator", 36, 8000, None),
    ("BCD-306T", "三门冰箱 306升", "refrigerator", 36, 6000, None),
    ("XQG100-B14", "滚筒洗衣机 10公斤", "washing_machine", 36, 6000, None),
    ("XQB80-M21", "波轮洗衣机 8公斤", "washing_machine", 24, 5000, None),
    ("JSQ25-13E", "燃气热水器 13升", "water_heater", 36, 6000, 8),
    ("DSZF-60A", "电热水器 60升", "water_heater", 36, 5000, 8),
    ("CXW-260-E9", "侧吸式油烟机", "range_hood", 24, 5000, None),
    ("JZT-QB520", "嵌入式燃气灶", "gas_stove", 24, 4000, 8),
    ("65Q7", "65英寸液晶电视", "television", 12, 6000, None),
    ("RO-600G", "反渗透净水器", "water_purifier", 12, 3000, None),
)
# part name, kind, price (fen), by category
PARTS = {
    "air_conditioner": (("压缩机", "main", 98000), ("室外机主板", "main", 36000),
                        ("过滤网", "wearing", 3500)),
    "refrigerator": (("压缩机", "main", 76000), ("温控器", "main", 12000),
                     ("门封条", "wearing", 6000)),
    "washing_machine": (("电机", "main", 42000), ("排水泵", "wearing", 8500),
                        ("门封圈", "wearing", 9000)),
    "water_heater": (("控制板", "main", 32000), ("镁棒", "wearing", 4500),
                     ("温度传感器", "wearing", 5500)),
    "range_hood": (("电机", "main", 36000), ("油杯", "wearing", 1500)),
    "gas_stove": (("熄火保护器", "main", 6500), ("点火针", "wearing", 2500)),
    "television": (("电源板", "main", 45000), ("遥控器", "wearing", 6000)),
    "water_purifier": (("增压泵", "main", 28000), ("RO膜滤芯", "wearing", 39000)),
}
CUSTOMERS_PER_SCALE = 150


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def _load_products(session: Session):
    products = []
    for model, name, category, months, fee, safe_years in PRODUCTS:
        product = create_product(session, model, name, category, months, fee, safe_years)
        for number, (part, kind, price) in enumerate(PARTS[category], start=1):
            create_part(session, product.id, f"{model}-P{number}", part, kind, price)
        products.append(product)
    return products


def _coordinates(province: str, city: str, address: str, number: int):
    """Exact coordinates for four customers in five (a point within 3 km of their district's
    centre); the fifth is placed from the address alone. A separate random stream, so the
    rest of the demo data does not change with it."""
    if number % 5 == 4:
        return None, None
    place = RegistryGeocoder().locate(province, city, "", address)
    if place is None:
        return None, None
    spot = random.Random(number)
    point = geodesic(meters=spot.uniform(100, 3000)).destination(
        (float(place.latitude), float(place.longitude)), spot.uniform(0, 360))
    return round(point.latitude, 6), round(point.longitude, 6)


def load(session: Session, rng: random.Random, scale: int) -> tuple[int, int, int]:
    products = _load_products(session)
    count = CUSTOMERS_PER_SCALE * scale
    serials = 0
    for number in range(count):
        province, city, districts, streets = rng.choice(PLACES)
        person = rng.choice(SURNAMES) + rng.choice(GIVEN)
        is_company = number % 12 == 0
        address = (
            f"{rng.choice(districts)}{rng.choice(streets)}{rng.randrange(1, 999)}号"
            f"{rng.randrange(1, 30)}栋{rng.randrange(101, 2802)}室"
        )
        latitude, longitude = _coordinates(province, city, address, number)
        customer = create_customer(
            session,
            kind="company" if is_company else "person",
            name=f"{city.removesuffix('市')}{rng.choice(SURNAMES)}氏{rng.choice(COMPANIES)}"
            if is_company
            else person,
            phone=_phone(rng),
            province=province,
            city=city,
            address=address,
            latitude=latitude,
            longitude=longitude,
        )
        for _unit in range(rng.choice((1, 1, 2, 3))):
            product = rng.choice(products)
            sold_on = date(2026, 11, 1) - timedelta(days=rng.randrange(30, 5 * 365))
            serials += 1
            serial = f"{product.category[:2].upper()}{sold_on:%y%m}{number:05d}{serials:04d}"
            register_serial(session, product.id, serial, sold_on, customer.id)
    return count, len(PRODUCTS), serials
