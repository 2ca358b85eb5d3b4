import random
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.core.clock import local_today
from aftersales.outlets.cities import load_cities
from aftersales.outlets.models import City, Outlet
from aftersales.outlets.services import add_slot, create_outlet

# code, name, kind, province, city, division code, address, latitude, longitude, 24 h
DEMO_OUTLETS = (
    ("BJ-01", "北京朝阳服务中心", "self_operated", "北京市", "北京市", "110100",
     "朝阳区建国路88号", "39.908600", "116.460000", True),
    ("SH-01", "上海浦东服务中心", "self_operated", "上海市", "上海市", "310100",
     "浦东新区张杨路500号", "31.229500", "121.520000", True),
    ("GZ-01", "广州天河服务中心", "self_operated", "广东省", "广州市", "440100",
     "天河区天河路208号", "23.135000", "113.327000", True),
    ("SZ-01", "深圳南山授权网点", "contracted", "广东省", "深圳市", "440300",
     "南山区科技园南路12号", "22.540000", "113.950000", False),
    ("HZ-01", "杭州西湖授权网点", "contracted", "浙江省", "杭州市", "330100",
     "西湖区文三路90号", "30.278000", "120.140000", False),
    ("NJ-01", "南京鼓楼服务中心", "self_operated", "江苏省", "南京市", "320100",
     "鼓楼区中山北路30号", "32.066000", "118.780000", True),
    ("CD-01", "成都武侯授权网点", "contracted", "四川省", "成都市", "510100",
     "武侯区人民南路四段11号", "30.630000", "104.070000", False),
    ("WH-01", "武汉江汉服务中心", "self_operated", "湖北省", "武汉市", "420100",
     "江汉区解放大道690号", "30.590000", "114.270000", True),
    ("XA-01", "西安雁塔授权网点", "contracted", "陕西省", "西安市", "610100",
     "雁塔区小寨东路126号", "34.222000", "108.948000", False),
    ("ZZ-01", "郑州金水授权网点", "contracted", "河南省", "郑州市", "410100",
     "金水区花园路39号", "34.776000", "113.663000", False),
    ("SY-01", "沈阳和平授权网点", "contracted", "辽宁省", "沈阳市", "210100",
     "和平区南京北街206号", "41.795000", "123.405000", False),
    ("CS-01", "长沙岳麓服务中心", "self_operated", "湖南省", "长沙市", "430100",
     "岳麓区麓山南路932号", "28.173000", "112.940000", True),
)
# The rest of the national network, placed near each city's centroid: code, city code,
# self-operated?, 24 h?, radius km. Dense in the east, thin in the west and the
# north-east, none in Tibet: gaps a manager has to see. XM-01's agreement has expired.
NETWORK = (
    ("TJ-01", "120100", True, True, 80), ("CQ-01", "500100", True, True, 150),
    ("SJZ-01", "130100", False, True, 100), ("TS-01", "130200", False, False, 80),
    ("BD-01", "130600", False, True, 60), ("HD-01", "130400", False, False, 80),
    ("TY-01", "140100", True, True, 120), ("DT-01", "140200", False, False, 80),
    ("HHHT-01", "150100", False, True, 150), ("BT-01", "150200", False, False, 100),
    ("DL-01", "210200", True, True, 100), ("CC-01", "220100", False, True, 150),
    ("HEB-01", "230100", False, True, 150), ("SZH-01", "320500", True, True, 60),
    ("WX-01", "320200", False, True, 50), ("CZ-01", "320400", False, False, 50),
    ("NT-01", "320600", False, True, 80), ("YZ-01", "321000", False, False, 60),
    ("XZ-01", "320300", False, True, 100), ("NB-01", "330200", True, True, 80),
    ("WZ-01", "330300", False, True, 100), ("JH-01", "330700", False, False, 80),
    ("SX-01", "330600", False, True, 50), ("HF-01", "340100", True, True, 120),
    ("WHU-01", "340200", False, False, 80), ("FZ-01", "350100", True, True, 100),
    ("XM-01", "350200", False, True, 80), ("NC-01", "360100", False, True, 150),
    ("JN-01", "370100", True, True, 100), ("QD-01", "370200", True, True, 100),
    ("YT-01", "370600", False, True, 100), ("WF-01", "370700", False, False, 80),
    ("LY-01", "371300", False, True, 100), ("LUO-01", "410300", False, True, 120),
    ("NY-01", "411300", False, False, 100), ("YC-01", "420500", False, True, 100),
    ("XY-01", "420600", False, False, 100), ("ZZH-01", "430200", False, True, 60),
    ("CDE-01", "430700", False, False, 100), ("FS-01", "440600", True, True, 50),
    ("DG-01", "441900", False, True, 50), ("HUZ-01", "441300", False, True, 80),
    ("ST-01", "440500", False, True, 100), ("ZJ-01", "440800", False, False, 120),
    ("NN-01", "450100", True, True, 150), ("GL-01", "450300", False, False, 100),
    ("HK-01", "460100", False, True, 150), ("MY-01", "510700", False, True, 100),
    ("NCH-01", "511300", False, False, 100), ("GY-01", "520100", False, True, 150),
    ("KM-01", "530100", True, True, 150), ("BJI-01", "610300", False, False, 100),
    ("LZ-01", "620100", False, True, 150), ("YCH-01", "640100", False, True, 150),
    ("WLMQ-01", "650100", False, True, 200), ("XN-01", "630100", False, False, 150),
)
CATEGORIES = ("air_conditioner", "refrigerator", "washing_machine", "water_heater",
              "range_hood", "gas_stove", "television", "water_purifier")
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "胜利路", "工业大道")


# The visit windows the named outlets take bookings in from the portal: (start, end,
# places) every day of the week.
WINDOWS = ((time(9), time(12), 3), (time(14), time(18), 3))


def _bookable_windows(session: Session, outlets: list[Outlet]) -> None:
    for outlet in outlets:
        for weekday in range(7):
            for starts, ends, places in WINDOWS:
                add_slot(session, outlet.id, weekday, starts, ends, places)


def load(session: Session, rng: random.Random) -> dict[str, Outlet]:
    if session.scalar(select(City.code).limit(1)) is None:
        load_cities(session)
    today = local_today()
    in_force = {"agreement_starts_on": today - timedelta(days=400),
                "agreement_ends_on": today + timedelta(days=600)}
    outlets = {}
    for code, name, kind, province, city, division, address, lat, lon, all_day in DEMO_OUTLETS:
        outlets[code] = create_outlet(
            session, code=code, name=name, kind=kind, province=province, city=city,
            region_code=division, address=address, latitude=lat, longitude=lon,
            is_24h=all_day, service_radius_km=rng.choice((50, 80, 100, 150)),
            opening_hours="00:00-24:00" if all_day else "08:30-18:00",
            staff_count=12 if all_day else 6, categories=[],
            **(in_force if kind == "contracted" else {}),
        )
    _bookable_windows(session, [outlets[code] for code, *_rest in DEMO_OUTLETS])
    # A separate generator: the shared one feeds the rest of the demo unchanged.
    local = random.Random(7)
    cities = {city.code: city for city in session.scalars(select(City))}
    for code, city_code, own, all_day, radius in NETWORK:
        city = cities[city_code]
        agreement = {}
        if not own:
            agreement = dict(in_force)
            if code == "XM-01":  # lapsed: not renewed, so Xiamen is not covered
                agreement = {"agreement_starts_on": today - timedelta(days=800),
                             "agreement_ends_on": today - timedelta(days=35)}
        short = city.name.removesuffix("市")
        outlets[code] = create_outlet(
            session, code=code, kind="self_operated" if own else "contracted",
            name=f"{short}{'服务中心' if own else '授权网点'}",
            province=city.province, city=city.name, region_code=city_code,
            address=f"{local.choice(STREETS)}{local.randrange(1, 400)}号",
            latitude=f"{city.latitude + local.uniform(-0.03, 0.03):.6f}",
            longitude=f"{city.longitude + local.uniform(-0.03, 0.03):.6f}",
            is_24h=all_day, service_radius_km=radius,
            opening_hours="00:00-24:00" if all_day else "08:30-18:00",
            staff_count=local.randrange(4, 30),
            categories=[] if own else sorted(local.sample(CATEGORIES, local.randrange(3, 7))),
            **agreement,
        )
    return outlets
