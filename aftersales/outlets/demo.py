import random

from sqlalchemy.orm import Session

from aftersales.outlets.models import Outlet
from aftersales.outlets.services import create_outlet

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


def load(session: Session, rng: random.Random) -> dict[str, Outlet]:
    outlets = {}
    for code, name, kind, province, city, division, address, lat, lon, all_day in DEMO_OUTLETS:
        outlets[code] = create_outlet(
            session, code=code, name=name, kind=kind, province=province, city=city,
            region_code=division, address=address, latitude=lat, longitude=lon,
            is_24h=all_day, service_radius_km=rng.choice((50, 80, 100, 150)),
        )
    return outlets
