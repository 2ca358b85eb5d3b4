"""What several training pages share: the outlets a form offers, and a sheet sent as a
PDF or XLSX download."""

import io

from flask import send_file

from aftersales.extensions import db
from aftersales.outlets import services as outlet_services
from aftersales.training import exports

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def outlet_options() -> list[tuple[int, str]]:
    return [(id_, f"{code} {name}") for id_, code, name, _region in
            outlet_services.outlet_choices(db.session)]


def download(sheet, fmt: str, stem: str):
    if fmt == "pdf":
        content, mimetype = exports.pdf(sheet), "application/pdf"
    else:
        content, mimetype = exports.xlsx(sheet), XLSX
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True,
                     download_name=f"{stem}.{fmt}")
