"""Reference data: the prefecture-level divisions of mainland China with their centroids,
read offline from the data file the `cpca` package ships (cpca/resources/adcodes.csv:
12-digit adcode, name, longitude, latitude; 2020 edition in cpca 0.5.5).

What is loaded, and why the count is 337:
- 333 prefecture-level divisions (293 prefecture-level cities, 7 prefectures 地区,
  30 autonomous prefectures 自治州, 3 leagues 盟): the rows whose adcode ends in 00000000
  under a province, less what is not a prefecture:
  * the "省直辖县级行政区划" placeholder rows (13/41/42/46/65 x 9000…): county-level cities
    such as 仙桃 or 石河子 governed by the province directly; they carry no coordinates;
  * 莱芜市 (371200), merged into 济南市 in January 2019 but still listed by cpca 0.5.5;
- plus the 4 municipalities (北京, 天津, 上海, 重庆), each counted as one city, named
  after itself, at the coordinates cpca gives the municipality (cpca lists them as
  "市辖区" rows, and Chongqing twice: 500100 市辖区 and 500200 县, merged into 500100).
Hong Kong, Macao and Taiwan have only a province-level row in cpca and are left out.

The cpca module itself is never imported (its __init__ loads pandas): the file is found
through the package's import spec.
"""

import csv
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aftersales.outlets.models import City

MUNICIPALITIES = ("11", "12", "31", "50")
LEFT_OUT_PROVINCES = ("71", "81", "82")  # Taiwan, Hong Kong, Macao: no city-level rows
# adcode -> why it is not loaded although cpca lists it as a prefecture.
ABOLISHED = {"371200": "莱芜市: merged into 济南市 (370100) in January 2019"}
EXPECTED_COUNT = 337  # 333 prefecture-level divisions + 4 municipalities


@dataclass(frozen=True)
class CityRow:
    code: str
    name: str
    province_code: str
    province: str
    kind: str
    latitude: float
    longitude: float


def cpca_adcodes_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package is not installed (pip install cpca==0.5.5)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def read_cities(path: Path | None = None) -> list[CityRow]:
    """The prefecture-level divisions and municipalities, ordered by code."""
    with open(path or cpca_adcodes_path(), encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["adcode"].endswith("00000000")]
    provinces = {
        row["adcode"][:2]: row for row in rows if row["adcode"][2:4] == "00"
    }
    cities = []
    for prefix, province in sorted(provinces.items()):
        if prefix in LEFT_OUT_PROVINCES:
            continue
        province_code = f"{prefix}0000"
        if prefix in MUNICIPALITIES:
            cities.append(CityRow(
                code=f"{prefix}0100", name=province["name"], province_code=province_code,
                province=province["name"], kind="municipality",
                latitude=float(province["latitude"]), longitude=float(province["longitude"]),
            ))
            continue
        for row in rows:
            code = row["adcode"][:6]
            if (
                row["adcode"][:2] != prefix
                or code[2:4] in ("00", "90")  # the province itself; directly governed counties
                or code in ABOLISHED
            ):
                continue
            cities.append(CityRow(
                code=code, name=row["name"], province_code=province_code,
                province=province["name"], kind="prefecture",
                latitude=float(row["latitude"]), longitude=float(row["longitude"]),
            ))
    return sorted(cities, key=lambda city: city.code)


def load_cities(session: Session, rows: list[CityRow] | None = None) -> int:
    """Insert or update every city; drop codes no longer listed. Idempotent."""
    rows = read_cities() if rows is None else rows
    existing = {city.code: city for city in session.scalars(select(City))}
    for row in rows:
        city = existing.pop(row.code, None) or City(code=row.code)
        for name in ("name", "province_code", "province", "kind", "latitude", "longitude"):
            setattr(city, name, getattr(row, name))
        session.add(city)
    if existing:
        session.execute(delete(City).where(City.code.in_(existing)))
    session.flush()
    return len(rows)
