#!/usr/bin/env python3
"""Writes venues.csv and cameras.csv: a sample district of 320 venues and 1,580 cameras.

Deterministic (a fixed seed, no third-party modules): running it again gives the same files.
Camera i (1-based, in id order) streams from rtsp://127.0.0.1:8554/cam/NNNN, which the sample
camera fleet (Samples/fleet) serves in the demo. Each venue's last column names its registration
system on the police registration platform (Samples/registry simulates it).
"""

import csv
import os
import random

SEED = 20240611
DISTRICT = "城南区"
VENUES = 320
INTERIOR = 1260  # 2 to 8 per venue; every venue also has one perimeter camera
KINDS = [("hotel", 110), ("rental", 120), ("internet_cafe", 90)]
TIERS = [("general", 224), ("watch", 64), ("priority", 32)]  # 70% / 20% / 10%

PREFIXES = [
    "平安", "温馨", "极速", "金城", "悦来", "顺发", "鑫源", "福满", "鸿运", "星光", "兴隆", "和平",
    "友谊", "蓝天", "阳光", "幸福", "宏达", "新世纪", "东方", "天天", "嘉华", "惠民", "安居", "华庭",
    "聚贤", "同乐", "飞扬", "风云", "王者", "零距离", "好运来", "春晖", "万家", "如意", "吉祥", "富贵",
    "长安", "百顺", "正阳", "锦华", "康乐", "客满", "龙腾", "海川", "明月", "朝阳", "恒通", "德隆",
]
SUFFIXES = {
    "hotel": ["宾馆", "旅馆", "招待所", "快捷酒店", "旅社", "客栈", "商务宾馆", "酒店"],
    "rental": ["公寓", "青年公寓", "出租屋", "租住楼", "白领公寓", "宿舍楼"],
    "internet_cafe": ["网吧", "网咖", "电竞馆", "网络会所", "电竞网咖"],
}
BRANCHES = ["（一店）", "（二店）", "（三店）", "（分店）", "（新店）"]
STREETS = [
    "建设路", "解放路", "人民路", "中山路", "长江路", "黄河路", "学府路", "工农路", "新华街", "胜利街",
    "文化路", "光明路", "健康路", "民主路", "青年路", "火车站前街", "站北路", "农贸市场巷", "兴业路",
    "和平巷", "东风路", "团结路", "红旗街", "兴华路",
]
BLOCKS = ["阳光小区", "幸福里小区", "电厂宿舍", "纺织厂家属院", "城中村", "新村", "花园小区"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚"]
TEAMS = ["一组", "二组", "三组", "四组"]
# The registration system of each kind of venue: hotels and internet cafés have a registration
# terminal, rental housing a "一电通" phone-line terminal. A venue with several systems lists them
# separated by ";" (none does in the sample); a rental venue whose number is divisible by 12 has none.
REGISTRATION = {"hotel": "HTL", "internet_cafe": "NET", "rental": "YDT"}
NO_REGISTRATION = "none"
MOBILE = ["138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "186", "187", "188", "189", "177", "180"]


def shuffled(rng, counted):
    items = [value for value, count in counted for _ in range(count)]
    rng.shuffle(items)
    return items


def main():
    rng = random.Random(SEED)
    here = os.path.dirname(os.path.abspath(__file__))
    kinds = shuffled(rng, KINDS)
    tiers = shuffled(rng, TIERS)
    supervisors = [f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)} ({team})" for team in TEAMS for _ in range(2)]

    venues, names = [], set()
    for number, (kind, tier) in enumerate(zip(kinds, tiers), start=1):
        name = rng.choice(PREFIXES) + rng.choice(SUFFIXES[kind])
        while name in names:
            name = name.split("（")[0] + rng.choice(BRANCHES)
        names.add(name)
        street = rng.randrange(len(STREETS))
        house = rng.randint(1, 320)
        address = f"{DISTRICT}{STREETS[street]}{house}号"
        if kind == "rental":
            address = f"{DISTRICT}{STREETS[street]}{rng.choice(BLOCKS)}{rng.randint(1, 24)}栋{rng.randint(1, 6)}单元"
        elif rng.random() < 0.3:
            address += f"{rng.randint(1, 5)}楼"
        # Each street crosses a band of grid rows; the house number walks along its columns.
        grid = f"G{street % 12 + 1:02d}-{house // 20 + 1:02d}"
        contact = rng.choice(MOBILE) + f"{rng.randrange(10 ** 8):08d}"
        supervisor = rng.choice(supervisors) if tier == "priority" else ""
        venues.append([f"V{number:04d}", name, kind, tier, DISTRICT, grid, address, contact, supervisor,
                       registration(number, kind)])

    # Two interior cameras each, the rest spread at random up to eight; internet cafés get more.
    interior = [2] * VENUES
    while sum(interior) < INTERIOR:
        index = rng.randrange(VENUES)
        cap = 8 if venues[index][2] == "internet_cafe" or rng.random() < 0.5 else 5
        if interior[index] < cap:
            interior[index] += 1

    cameras = []
    for venue, count in zip(venues, interior):
        for placement in ["perimeter"] + ["interior"] * count:
            number = len(cameras) + 1
            url = f"rtsp://127.0.0.1:8554/cam/{number:04d}"
            cameras.append([f"C{number:05d}", venue[0], placement, url, "", ""])

    write(os.path.join(here, "venues.csv"),
          ["id", "name", "kind", "tier", "district", "grid", "address", "owner_contact", "supervisor", "registration"],
          venues)
    write(os.path.join(here, "cameras.csv"), ["id", "venue_id", "placement", "url", "username", "password"], cameras)
    print(f"{len(venues)} venues, {len(cameras)} cameras "
          f"({sum(1 for c in cameras if c[2] == 'perimeter')} perimeter, {sum(interior)} interior)")
    prefixes = [cell.split("-")[0] for venue in venues for cell in venue[-1].split(";")]
    print("registration: " + ", ".join(f"{prefixes.count(key)} {key}" for key in [*REGISTRATION.values(), NO_REGISTRATION]))


def registration(number, kind):
    """The venue's registration system id, or "none" (drawn from no random numbers: the venues stay as they were)."""
    if kind == "rental" and number % 12 == 0:
        return NO_REGISTRATION
    return f"{REGISTRATION[kind]}-{number:04d}"


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
