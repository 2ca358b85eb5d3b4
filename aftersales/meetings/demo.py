"""Demo customer meetings: two held with minutes in the last year (the standard's
minimum), one from the year before, and last week's whose minutes are still being typed
up (shown as not counted until they are attached)."""

from datetime import timedelta

from sqlalchemy.orm import Session

from aftersales.core import services as core_services
from aftersales.core import sheets
from aftersales.core.clock import local_today, utcnow
from aftersales.meetings import services

# (days ago, topic, place, attendees, minutes typed up)
MEETINGS = (
    (400, "家电售后服务用户恳谈会", "北京总部会议室",
     ("王芳, 朝阳区幸福小区业主", "刘建国, 海淀区用户代表", "陈晓, 京东自营店店长"), True),
    (290, "上半年客户恳谈会：维修时效与收费", "上海服务中心二楼",
     ("李娜, 浦东新区用户", "赵敏, 徐汇区用户", "周杰, 物业公司经理", "孙悦, 消费者协会观察员"),
     True),
    (95, "下半年客户恳谈会：安装预约与回访", "杭州服务中心",
     ("钱伟, 西湖区用户", "吴静, 滨江区用户", "郑浩, 经销商代表"), True),
    (6, "新品空调安装体验座谈", "北京总部会议室",
     ("黄磊, 朝阳区用户", "何琳, 昌平区用户"), False),
)


def _minutes(topic: str, held_on, attendees) -> bytes:
    return sheets.render_blocks(sheets.document(f"{topic} 会议纪要", "售后服务部", utcnow(), [
        {"heading": f"{topic} 会议纪要"},
        {"facts": [["日期", held_on.isoformat()], ["主持", "售后经理 李静"]]},
        {"text": "到会顾客：" + "；".join(attendees)},
        {"text": "顾客意见：上门预约时段希望更精确；收费项目希望在报价单上逐项列明。\n"
                 "改进措施：预约短信提供两小时时段；报价单模板增加分项收费，下季度复查。"},
    ]))


def load(session: Session) -> int:
    manager = core_services.find_user(session, "manager")
    today = local_today()
    for days_ago, topic, place, attendees, typed_up in MEETINGS:
        held_on = today - timedelta(days=days_ago)
        minutes = (services.Minutes(f"{held_on.isoformat()}-纪要.pdf",
                                    _minutes(topic, held_on, attendees))
                   if typed_up else None)
        services.record_meeting(session, manager, held_on, topic, place, "\n".join(attendees),
                                minutes)
    return len(MEETINGS)
