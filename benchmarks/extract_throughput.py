"""Throughput of anze_kg.extract.extraction on a synthetic corpus (about 100 MB by default).

Usage (from the repository root):

    .venv/bin/python benchmarks/extract_throughput.py [--mb 100] [--workers 2] [--doc-kb 16] [--seed 7]

The corpus is built here, in memory, from template sentences written for this
benchmark (bulletin, work-report and news styles, a flattened table), filled
with seeded random figures and names and cut into documents of about --doc-kb
kilobytes.  The documents are extracted in a pool of --workers processes.
About two sentences in five carry no figure.  Prints the corpus size, the wall
time of the extraction, MB/s (10^6 bytes of UTF-8 text per second of wall
time) and MB per CPU-second spent in the workers (what one free core does, on
a busy machine too).  Aim: 100 MB in under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from anze_kg.extract.extraction import extract_text  # noqa: E402

SENTENCES = [
    "{year}年,全县实现地区生产总值{d}亿元,同比增长{g}%,增速全市排名第{rank}。",
    "其中,第一产业增加值{d}亿元,增长{g}%;第二产业增加值{d}亿元,下降{g}%。",
    "三次产业结构比为{d}:{d}:{d}。",
    "全年粮食播种面积{d}万亩,总产量{d}万吨,比上年回落{g}%。",
    "城镇化率达到{d}%,比上年提高{g}个百分点。",
    "全县固定资产投资增长{g}%,社会消费品零售总额增长{g}%。",
    "{firm}年产{n}万吨{product}项目建成投产,总投资约{d}亿元。",
    "{firm}、{firm}、{firm}等{n}家企业入驻{park}。",
    "{town}镇{village}村建成通村公路{n}条、桥梁{n}座,改造{n}户农村危房。",
    "深入开展“{slogan}”行动,实施{village}河综合治理工程,新增就业{n}余人。",
    "县域经济综合竞争力居全省第{rank}位,营商环境评价排名全市第{rank}。",
    "接待游客超过{n}万人次,旅游收入{d}亿元,增速{g}%。",
    "城镇居民人均可支配收入{n}元,农村居民人均可支配收入{n}元,分别增长{g}%和{g}%。",
    "坚持以习近平新时代中国特色社会主义思想为指导,推进{slogan}改革,发展特色产业。",
    "园区亩均产值达到每亩{d}万元。在同类园区中排名全省第{rank}、全市第{rank}。",
]
PROSE = [  # sentences without figures, as between the figures of a real report
    "坚持稳中求进工作总基调,统筹推进{slogan}和{slogan},经济运行总体平稳。",
    "围绕{product}产业链,加快培育龙头企业,推动产业集聚发展,{town}镇特色产业初具规模。",
    "持续优化营商环境,深化“放管服”改革,企业和群众办事更加便捷。",
    "扎实推进乡村全面振兴,{village}村人居环境明显改善,群众获得感不断增强。",
    "加强生态环境保护,打好蓝天、碧水、净土保卫战,城乡面貌焕然一新。",
]
TABLE = "主要产品产量\n\n指标\t{year}年\t比上年增长(%)\n蔬菜\t{d}万吨\t{g}\n水果\t{d}万吨\t-{g}\n\n"
SYLLABLES = "云溪石门桃源青山金河宏泰鼎盛丰禾康宁白马黄石上坪梨园东湖西岭南川北塬"
PRODUCTS = ["有机肥", "焦化", "精细化工", "新型建材", "农产品加工"]


def build_corpus(megabytes: float, doc_kb: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs, total, target = [], 0, int(megabytes * 1_000_000)
    while total < target:
        doc = _document(rng, doc_kb * 1000)
        docs.append(doc)
        total += len(doc.encode("utf-8"))
    return docs


def _document(rng: random.Random, size: int) -> str:
    parts, used, section = [], 0, 0
    while used < size:
        if used >= section * 4000:
            section += 1
            parts.append(f"\n{'一二三四五六七八九十'[(section - 1) % 10]}、第{section}部分\n\n")
        roll = rng.random()
        template = TABLE if roll < 0.05 else rng.choice(PROSE) if roll < 0.45 else rng.choice(SENTENCES)
        parts.append(_fill(rng, template))
        used += len(parts[-1]) * 3
    return "".join(parts)


def _fill(rng: random.Random, template: str) -> str:
    out = template
    fillers = {"{year}": lambda: str(rng.randint(2015, 2024)), "{d}": lambda: f"{rng.uniform(0.1, 999):.2f}",
               "{g}": lambda: f"{rng.uniform(0.1, 30):.1f}", "{n}": lambda: str(rng.randint(2, 99999)),
               "{rank}": lambda: str(rng.randint(1, 20)), "{firm}": lambda: _name(rng) + rng.choice(["煤业", "集团", "药业"]),
               "{park}": lambda: _name(rng) + "工业园区", "{town}": lambda: _name(rng), "{village}": lambda: _name(rng),
               "{slogan}": lambda: _name(rng) + _name(rng), "{product}": lambda: rng.choice(PRODUCTS)}
    for key, make in fillers.items():
        while key in out:
            out = out.replace(key, make(), 1)
    return out


def _name(rng: random.Random) -> str:
    i, j = rng.randrange(0, len(SYLLABLES), 2), rng.randrange(0, len(SYLLABLES), 2)
    return SYLLABLES[i] + SYLLABLES[j + 1]


def _work(doc: str) -> tuple[int, int, int, float]:
    began = time.process_time()
    got = extract_text(doc)
    return len(doc.encode("utf-8")), len(got.observations), len(got.entities), time.process_time() - began


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=100.0, help="corpus size in MB (10^6 bytes of UTF-8)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--doc-kb", type=int, default=16, help="size of one document in kB")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    began = time.perf_counter()
    docs = build_corpus(args.mb, args.doc_kb, args.seed)
    built = time.perf_counter() - began
    began = time.perf_counter()
    with Pool(args.workers) as pool:
        counts = list(pool.imap_unordered(_work, docs, chunksize=16))
    seconds = time.perf_counter() - began
    size, cpu = sum(c[0] for c in counts), sum(c[3] for c in counts)
    result = {"documents": len(docs), "megabytes": round(size / 1e6, 2), "workers": args.workers,
              "build_seconds": round(built, 2), "extract_seconds": round(seconds, 2),
              "mb_per_second": round(size / 1e6 / seconds, 2), "mb_per_cpu_second": round(size / 1e6 / cpu, 2),
              "observations": sum(c[1] for c in counts), "entities": sum(c[2] for c in counts)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['megabytes']} MB in {result['documents']} documents (built in {built:.1f} s)")
        print(f"extracted {result['observations']} observations and {result['entities']} entities "
              f"with {args.workers} workers in {seconds:.1f} s: {result['mb_per_second']} MB/s "
              f"({result['mb_per_cpu_second']} MB per CPU-second in the workers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
