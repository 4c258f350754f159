"""Word lists of the genre behind :mod:`anze_kg.extract.entities`.

Small, hand-written dictionaries of Chinese county reports (bulletins, work
reports, news): the verbs and particles a name never starts with, political
formulas and idioms that are not programs, the suffixes that end the names of
enterprises, places, zones, projects and programs, and the characters that
show a place suffix is part of an ordinary word (城市, 县城, 乡村).  Data only;
the rules that use them are in :mod:`anze_kg.extract.entities`.
"""

from __future__ import annotations

import re

CJK = "\u4e00-\u9fff"
CN_DIGITS = "一二三四五六七八九十百零〇两"

# Verbs, adverbs and particles that end the text before a name: a name starts after the last of them.
STOPS = ("位于 走进 依托 加快 推进 推动 实施 开展 落实 深化 践行 打造 培育 支持 引进 申报 筹划 成为 作为 围绕 聚焦 "
         "引入 完成 实现 其中 届时 以及 通过 按照 积极 全力 大力 深入 持续 扎实 全面 加强 认真 着力 继续 接续 坚持 坚决 "
         "强力 启动 组织 举办 承办 参与 包括 抢抓 聘请 纳入 入选 获评 荣获 荣膺 成功 推荐 扶持 引导 签约 入驻 入园 "
         "规划好 谋划好 不断提高 不断 年内 把握 带队 举行 召开 健全 完善 建立 严格 执行 制定 出台 对接 地处 用足用好 用好 用足 做好 作好 抓好 探索 推行 强化 巩固 免费 加大 "
         "鼓励 丰富 以北 以南 以东 以西 以 破 的 在 是 和 与 及 对 把 被 将 从 向 于 为 等 了 由 让 使 并 暨 赴 到 至 即 或 据 该 各 其").split()
# 据 (据统计) is no stop inside 数据 or 依据: 大数据中心, 数据楼
STOP_RE = re.compile("|".join("(?<![数依证根])据" if s == "据" else s for s in sorted(STOPS, key=len, reverse=True)))
STOP_END_RE = re.compile(f"(?:{STOP_RE.pattern})$")

# Political formulas and idioms: quoted or not, never a program of the report.
FORMULAS = {"习近平新时代中国特色社会主义思想", "新发展理念", "新发展格局", "高质量发展", "供给侧结构性改革",
            "全面深化改革", "改革开放", "结构性改革", "中国式现代化", "稳中求进", "稳中求进工作总基调", "二十大", "党的二十大",
            "十一五", "十二五", "十三五", "十四五", "十五五", "十六五", "两个确立", "两个维护", "四个意识", "四个自信", "两个务必", "共同富裕"}
IDIOMS = {"保驾护航", "压舱石", "开门红", "领头羊", "排头兵", "主力军", "桥头堡", "试验田", "主战场", "加速器",
          "助推器", "稳定器", "金钥匙", "金名片", "新引擎", "强引擎", "顶梁柱", "定心丸", "娘家人", "贴心人",
          "领跑者", "硬骨头", "最后一公里", "快车道", "一盘棋", "加油站", "蓄水池", "生命线", "风向标", "晴雨表",
          "走出去", "请进来", "引进来", "放管服", "土特产"}

# Enterprises: legal-form suffixes (long) and trade words that end a short firm name (煤业, 焦化).
ENT_LONG = "股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|专业合作社|合作社|公司|集团"
ENT_SHORT = ("购物广场|购物中心|交易所|石化|煤业|焦化|药业|热电|能源|矿业|钢铁|实业|酒业|乳业|纸业|牧业机械|牧机|电器|百货|超市|银行|证券|煤矿|"
             "水泥|农机|啤酒|科技")
# 科技 ends a firm's short name (中网科技) only after two characters that are no field (生物科技, 金融科技)
# and before no word that makes it science (科技创新, 科技进步, 科技示范园).
SCIENCE_FIELD = re.compile(r"(?:国防|生物|金融|农业|农牧|信息|数字|智慧|国际|区域|重大|战略|全国|前沿|现代|新兴|文化|体育|教育|医疗|"
                           r"环保|能源|海洋|航天|航空|工业|民生|社会|城市|乡村|基层|青年|人才|高新|高|推进|加强|依靠|实施)$")
SCIENCE_GOES_ON = re.compile(r"创新|进步|成果|服务|普及|投入|富民|强|示范|人才|领军|交流|计划|力量|感|板|型|园|含量|支撑|特派员|"
                             r"局|馆|馆|企业|工作|资源|项目|奖|兴|引领|赋能|水平|合作|研发|攻关|惠民|文化|活动|周|节|下乡")
# Trades (能源、冶金、化工企业; 粮食 among the firms of a list of 物流项目): no firm's name.
TRADE = re.compile(r"(?:周边|本地|当地|传统|新兴|现代)?(?:能源|冶金|化工|建材|医药|食品|机械|机械制造|物流|粮食|煤炭|电力|"
                   r"钢铁|纺织|造纸|乳制品|农畜产品加工|农畜产品|商贸|金融|旅游|文化|餐饮|物业|装备制造|新材料)")
# What a firm is, not its name: 跨国公司, 国有控股上市公司, 龙头企业集团.
ENT_GENERIC = re.compile(r"(?:跨国|上市|国有|国资|控股|民营|外资|外商|合资|独资|私营|龙头|骨干|平台|投资|融资|本地|当地|"
                         r"省属|市属|县属|区属|央企|中小|小微|科技型|高新技术|规上|规模以上|专业|物业|担保|子|分|总|母|"
                         r"大型|小型|中型|重点|优质|知名|头部|链主|企业|国际|农民|新型|股份制|城投|文旅|交投|商业|农村|村镇|城市|周边|"
                         r"平价|蔬菜|政务|服务|便民|生鲜|社区)+")
ENT_END = re.compile(f"(?:{ENT_LONG}|{ENT_SHORT})$")
# Zones and parks: a named one is a place.
PARKS = ("高新技术产业开发区|经济技术开发区|高新技术开发区|综合保税区|工业集中区|开发区|经开区|"
         "高新区|综保区|(?:工业|产业|孵化|科技|物流|创业|制造|经济|汽车)园区?|园区|先导区|先行区|试验区|合作区|功能区|引领区|"
         "新片区|化工区|示范区|组团|旅游度假区|度假区|旅游区|自然保护区|保护区|"
         "科学城|科创城|创新城|智慧城(?!市)|开放枢纽|科创走廊|产业创新带")
# What ends the name of a program (campaigns, reforms, systems) or of a project.
PROGRAMS = ("教育实践活动|主题教育|专项行动|攻坚行动|攻坚战|体系建设|行动|改革|战略|工程|制度|机制|(?<!行动|工作|发展|三年|五年|年度|投资|生产|财政)计划(?!生育|单列|内|外|投资|总|任务|目标|的)"
            r"|(?<!改革|方案|行动|计划|工程)试点(?!方案|措施|示范|单位|创建)")  # 新就业形态人员职业伤害保障试点
# Verbs that run a pilot (推进|服务业扩大开放综合试点): an unquoted …试点 is a programme after one of them.
RUN_BEFORE = re.compile(r"(?:推进|开展|深化|实施|启动|推行)$")
# Head nouns written right after a quoted name, taken into it: “四好农村路”工程, “特”“优”战略.
QUOTED_HEADS = re.compile(r"专项行动|集中攻坚行动|攻坚行动|行动|集成改革|改革|战略|政策|工程|系列活动|服务|机制|制度")
# Where a quoted name with no head noun after it is a programme: after a verb that runs one,
# or before a programme's word ("两个中心"建设, "一网交易"试点, "8337"发展思路, "助保贷"业务).
PROGRAMME_VERB_BEFORE = re.compile(r"(?:共建|实施|推进|推行|开展|深化|落实|建设|创建|打造|围绕|启动|践行|秉持|坚持|加快|"
                                   r"巩固|提升|培育|壮大|按照|实现|在全市|在全省|格局为)[^,;。!?\n“”]{0,2}$")
PROGRAMME_WORD_AFTER = re.compile(r"(?:建设|试点|业务|发展思路|思路|示范|创建|工作|模式|理念|目标|要求|体系|格局|布局)")
# The routine fields of a government's work, listed at a report's end (民族宗教、档案史志、双拥等工作):
# fields, not programmes, unless quoted.
ROUTINE_WORK = re.compile(r"(?:民族宗教|宗教|民族团结|档案史志|档案|史志|人口和计划生育|计划生育|人口计生|双拥|红十字|外事侨务|外事|"
                          r"侨务|妇女儿童|关工委|关心下一代|老龄|老龄工作|残疾人事业|残疾人|安全生产|城市消防|消防|食品药品监管|"
                          r"食品药品安全|市场监管|统计|审计|信访|武装|人防|气象|地震|国防动员|民兵预备役|社会救助|社会福利|慈善|"
                          r"工青妇|工会|共青团|妇联|科协|文联|残联|保密|机要|法制|司法行政|城市保洁|保洁|冬季清雪|清雪|爱国卫生|"
                          r"退役军人|国防教育|参事文史|参事|文史|规划土地|决策咨询)(?:工作|事业)?")
# National programmes that county reports name without a head or quotes (新农合参合率, 退耕还林还草工作):
# a programme wherever written, with 工程, 制度 or 工作 after them taken in when it is 工程 or 制度.
NATIONAL_PROGRAMMES = re.compile(r"(?:新农合|新型农村合作医疗|精准扶贫|精准脱贫|退耕还林还草|退耕还林|退牧还草|三北防护林|"
                                 r"天然林保护|京津风沙源治理|爱国卫生运动|河长制|湖长制|林长制|河湖长制|厕所革命|两免一补|扫黑除恶)"
                                 r"(?:工程|制度)?")
# What a list of programs is called: "A、B等工作", "A和B等服务机制", "A、B等关键抓手".
LIST_PROGRAM_HEADS = "服务机制|工作机制|工作|举措|措施|抓手|活动|机制|行动|政策"
# A road, by its number, with the works done on it: 国道241改建.
ROAD_WORKS = re.compile(r"(?:国道|省道|县道|G|S)\d{1,4}(?:线)?(?:提升改造|改造提升|改建|改线|扩建|新建|改造|拓宽)")
# 健康安泽建设, 平安中国建设: a campaign of the area's name; the area is given to the drafter.
AREA_CAMPAIGN = "健康|平安|法治|数字|智慧|美丽|文明|幸福|诚信|书香"

# Quoted text that is an honour, a designation or an event rather than a program.
HONOUR_BEFORE = re.compile(r"(?:荣膺|荣获|获评|获得|评为|入选|列为|授予|命名为|认定为|申报|创建|荣登|跻身|成为|创成|"
                           r"入围|获批|系|是)[^“”,。]{0,6}$")
EVENT_BEFORE = re.compile(r"(?:举办|承办|召开|举行|主办)$")
HONOUR_AFTER = re.compile(r"^.{0,2}(?:称号|名单|荣誉|等次|品牌|认证|商标|文章|奖|案例|示范|方向)")
HONOUR_NOUN = re.compile(r"(?:基地|示范县|示范区|示范村|示范镇|先进县|百强县|强县|名单|单位|景区|乡村|之乡|廊道)$")
REGION_NOUN = re.compile(r"(?:板块|经济带|经济圈|城市群|走廊|新区)$")
SPEECH = re.compile(r"[。!?]|我|你|咱|(?:19|20)\d\d年")  # speech, or an event or honour of a year
NAME_PART_AFTER = re.compile(rf"[{CJK}]{{0,12}}?(?:基地|园区|产业园|示范区|中心|景区|合作社|公司)")

# Places: administrative suffixes, and the characters that make them part of a common word.
PLACE_SUFFIX = re.compile("街道办事处|街道|社区|片区|省|市|县|镇|乡|村|庄|屯")
PLACE_NEXT_REJECT = {"市": "场民级委政长区县定直属域人", "县": "城域级委政长区乡直属人道", "镇": "区级村域长人",
                     "乡": "村镇居土愁贤亲情人", "村": "民庄级集落委党干组容里道", "省": "级委政长内外属直市域人道",
                     "庄": "园稼严重", "屯": "留垦田兵粮子堡绿", "社区": "", "街道": "", "街道办事处": "", "片区": ""}
PLACE_BEFORE_REJECT = {"市": "城超都门上夜集股楼菜", "县": "强大小两", "镇": "城集强大小名古",
                       "乡": "城下返家故老水梦异他带", "村": "乡农山渔新小大示强通进驻入到下", "庄": "村山农",
                       "省": "强大全外本", "屯": "村驻乡营军", "社区": "", "街道": "", "街道办事处": "", "片区": "城老新各"}
PLACE_PREFIX_REJECT = set("的了是在个等为与及各全本该我每其这那此之到至赴对从向于把被将"
                          "一二三四五六七八九十百千万两几多省市县镇乡村区")
# In a longer name (鄂尔多斯市, 呼和浩特市) these may stand, but not at its start.
LONG_NAME_REJECT = set("的了是个等为各全本该我每其这那此之到至赴对从向于把被将省市县镇乡村区")
GENERIC_PLACES = {"示范", "先进", "百强", "重点", "特色", "美丽", "和美", "宜居", "中心", "行政", "贫困", "文明",
                  "卫生", "生态", "试点", "首批", "同类", "周边", "沿线", "所在", "外省", "外市", "邻近", "建设",
                  "城乡", "农村", "城市", "乡村", "全域", "县域", "市域", "区域", "所辖", "下辖", "各个", "相关",
                  "城中", "城郊", "城边", "自然", "空心", "中心"}
# Places named by what they are, not by a name: 完整社区, 亮点街道, 15分钟社区, 特色产业园区, 零碳园区, 街镇.
GENERIC_PLACE_NAME = re.compile(r"(?:文物|风貌|历史风貌|水源地?|饮用水源?|水源涵养|生态|自然|湿地|基本农田|永久基本农田|一级|二级|核心|国家级|自治区级)保护区|(?:完整|亮点|主要|\d*分钟|主体|特色|文创|零碳|低碳|保留|煤化工|科创|新型|"
                                r"智慧|绿色|美丽|和美|示范|重点|中心|[一二三四五六七八九十两]+个)*(?:社区|街道|街区|村|园区|产业园区|产业园|功能区)"
                                r"|[\u4e00-\u9fff]?街镇")
GENERIC_MODIFIER = re.compile(r"省级|国家级|市级|县级|区级|星级|首批|第.批|[型类式]")
# A one-character name with 庄 (郭庄) stands after these, or at the start of a clause.
ONE_CHAR_BEFORE = set("至到、和与及,;。:\n ")

# Verbs a zone's name never starts with (调整优化|上海化工区, 扩大|北山农业园区): the zone starts after them.
PLACE_LEAD = re.compile(r"(?:高质量建设运营|改造|整治|治理|高水平建设|高标准建成|加力建设|稳步提高|提高|增加|完成|做实|调整优化|立足|助推|调整|优化|理顺|协助|支持|依托|发挥|推动|整合|提升|扩大|做强|做大|做优|壮大|设立|"
                        r"争创|创建|规划|盘活|入驻|落户|进驻|引进)(?=[\u4e00-\u9fff]{2})")

# Projects and programs: prefixes that leave no name ("重点项目", "专项行动").
PROJECT_GENERIC = re.compile(r"(?:各类|一批|社会保障|社会事业|教育|卫生|医疗|养老|重点|冰雪|运动|体育|基础设施|PPP|冬季|旅游|农牧业|商贸流通|商贸|流通|食品加工|加工|五星级|星级|酒店|工业|物流|文化|调度|相关|配套|拟建|入园|公益性|基础性|在建|新建|续建|签约|产业|民生|基础设施|建设|招商引资|链主|省级|市级|"
                             r"县级|重大|大|新|储备|前期|谋划|中央预算内|[一二三四五六七八九十\d]期)+")  # 二期工程 names none
PROGRAM_GENERIC = re.compile(r"专项|集中攻坚|系列|主题|三年|省级重点")
CONSTRUCTION = re.compile(r"建设|改造|治理|整治|修复|扩建|改建|水利|道路|公路|供水|供电|供热|管网|电网|排水|污水|桥|隧道|"
                          r"堤防|防洪|排涝|挡潮闸|景观|积水|路网|续建|东移|过江|湿地|污泥|房屋建筑|"
                          r"贯通|场馆|[一二三四五六七八九十\d]期|\(.期\)")
BUILT = re.compile(r"建成|开工|竣工|投运|投用|完工|招标|主体施工")
NUMERALS = re.compile(rf"[{CN_DIGITS}]+(?:个|大|家|批)|\d")

# Verbs and adverbs that begin no name: a candidate written after one of them starts after it
# (壮大三元 -> 三元, 相继关停蒙西水泥有限公司 -> 蒙西水泥有限公司).
LEAD_VERBS = re.compile(r"(?:充分利用|认定|做实|相继关停|关停|进一步提升|进一步|提升|壮大|确保|力争|开工建设|扩大建设|改造现有|现有|落地|导入|"
                        r"服务(?!业|中心|区)|协助|理顺|配合|承接|主动承接|精心办好|办好|打好|努力提高|努力|狠抓|建成|续建|"
                        r"谋划|争取|畅通|立足|紧密结合|结合|三要狠抓|要狠抓|积极|加快|推进|全力|开工|新开工|实施|新一轮(?=[\u4e00-\u9fff“]{4})|建设(?!街道|办|路|大街|银行)|进(?=[\u4e00-\u9fff]{4}))")
# The heads an unquoted program's name ends in (…行动, …工程, …战略); a name ending otherwise is a
# field or an activity (金融, 养老, 高端设计), a mechanism or an institution, not a named programme.
PROGRAM_HEAD_END = re.compile(r"(?:行动|计划|方案|工程|战略|试点|规划|活动|改革|攻坚战|攻坚|政策|建设|主题教育)$")
# Unquoted programs that are generic however they end.
PROGRAM_GENERIC_NAME = re.compile(r"^(?:全区|我区|全市|我市|全县|我县|全省|我省|农村|更好地共享)改革$|^(?:国家|国家重大|重大|重点领域|相关|一体化国家|构建新发展格局|国内国际双循环|"
                                  r"扩大内需这个|全国首创|实际|提升|优化重大|发展)(?:战略|工程|改革|行动|制度)?$|这个|我们|体系建设$|"
                                  r"体制改革$|(?:重大|重点)(?:发展)?(?:战略|工程|行动)$|(?:名牌|品牌)战略$")
# An unquoted programme ending in 工程 whose name is only generic words (城区绿化工程; 文化惠民工程 is named).
PROGRAM_GENERIC_WORDS = re.compile(r"(?:城区|城市|城乡|农村|乡村|社区|绿化|美化|亮化|净化|硬化|体育|文化|民生|便民|"
                                   r"健身|环境|生态|基础设施|公益|重点|重大|民心|实事)+(?:工程|行动)")
# A reform of a way of working, not of a system: a service, a mechanism or a method reformed
# (养老服务改革, 职业技能培训机制改革, 多元复合式医保支付方式改革) is no programme; a system's reform is one
# (行政审批制度改革, 医保改革, 户籍改革, 教育综合改革).
WAYS_REFORM = re.compile(r"(?:服务|机制|方式|模式|办法)改革$")
# What a programme's word (战略, 改革) is the first part of, not the end of: 战略科技力量, 战略合作.
PROGRAM_WORD_GOES_ON = re.compile(r"师|院士|科技|合作|投资|储备|支撑|新兴|机遇|布局|地位|资源|腹地|通道|要地|伙伴")
# Lists of policies whose long unquoted members need a programme's own head (高潜力青年科技人才
# 发现培养、…等政策 says what a policy does); short ones are names (减税降费、金融帮扶等政策).
LIST_HEADS_NEED_HEAD = re.compile(r"机制|政策|举措|措施")
# Events, not programmes: festivals, contests, seasons, fairs.
EVENT_END = re.compile(r"(?:节|大赛|邀请赛|拉力赛|比赛|锦标赛|公开赛|联赛|研讨会|峰会|洽谈会|消费季|冬令营|夏令营|博览会|交易会|"
                       r"论坛|大会|展)$")
# The heads a project's name ends in when it is not quoted; 道路, 供水, 生物医药 name no project.
PROJECT_HEAD_END = re.compile(r"(?:项目|工程|[一二三四五六七八九十\d]期|线|桥|路|街|大道|站|港区|作业区|基地|中心|馆|园|广场|"
                              r"小区|市场|城|厂|矿|机场|枢纽|大厦|楼|公寓|酒店|景区|小镇|湿地|公园|新区|镇区|"
                              r"改造|扩建|迁建|新建|改建|复产|南迁|搬迁|入园|贯通|延伸|综合体|用房|纪念园|建设|\)|学校|小学|中学|医院|农田|至[\u4e00-\u9fff]{2,6}段)$")
PROJECT_GENERIC_NAME = re.compile(r"^[\u4e00-\u9fff]{1,3}(?<![桥线路街站])$|一批|^\d(?!\d?号线)|^[一二三四五六七八九十两]+[个条项批座所家处年]|重点(?:工业|城市建设)?项目$|类项目$|"
                                  r"两级|公益项目|影响项目$|新项目$|^项目|^(?:道路|公路|桥梁)$|^合作|重点项目$|外资项目$|产业项目$|建筑工程$|^工业[\u4e00-\u9fff]{0,4}(?:项目|工程)$|^现代化|^民办实事|等[\u4e00-\u9fff]{0,6}(?:工程|项目)$")
# What a field or an activity ends in (城市绿化, 健康养老, 生物医药, 矿山生态修复): a member of a
# list of projects that ends so, with no works' head, is what the projects do, not one of them.
ACTIVITY_END = re.compile(r"(?:化|完善|修复|治理|调整|升级|技改|民生|防洪|防汛|养老|医药|汽车|建筑|生产|服务|饮水|能源|产业|经济|旅游|农业|制造|物流|"
                          r"运动|健身|教育|医疗|文化|体育|金融|电商|商贸|科技|信息|材料|装备|环保|安全|林|草)$")
# Works named by what is built, with no 项目 or 工程 (远山红郡住宅小区, 海拉尔河湿地公园, 东海写字楼):
# a name ending in one of these heads is a project where the clause builds, opens or improves it.
WORKS_HEAD = ("港区|作业区|绿道|歌剧院|大剧院|图书馆|美术馆|科技馆|文化馆|幼儿园|污水处理设施|商圈|煤矿|写字楼|商务酒店|酒店|大数据中心|数据中心|住宅小区|安置小区|小区|大街|步行街|商业街|精品街|商贸街|风情街|专业街|广场|湿地公园|公园|湿地|景区|景观区|景观带|"
              "特色小镇|小镇|综合体|商贸城|度假城|度假区|批发市场|纪念园|博物馆|纪念馆|音乐厅|大厅|体育场馆|体育馆|"
              "场馆|会展中心|交流中心|调度中心|客运总站|客运站|火车站|变电站|大桥|桥|隧道|公路|水库|"
              "污水处理厂|热电厂|电厂|行宫|古城|新城|新镇区|镇区|主力店|露天矿|奶源基地|产业基地|示范基地|"
              "物流园|快递园|大楼|数据楼|综合楼|办公楼|教学楼|仓库|专用线|大酒店|百货商场|商场|公寓|医院|中学分校|业务用房|用房|零售市场|农贸市场|果蔬市场|专业市场|建材城|家居城|大厦|候机楼|航站楼|中学|小学")
# What a clause says of a works: built, started, finished, opened, improved.
WORKS_CONTEXT = re.compile(r"建设|搬迁|设施功能|功能日益完善|改造|扩建|改建|新建|迁建|提升|开工|建成|完工|竣工|投入运营|投入使用|投运|封顶|"
                           r"推进|实施|启动|完成|加固|贯通|续建|运营|前期")
# A works' name made only of generic words is a kind of works, not one (社区卫生服务中心, 城市公园).
WORKS_GENERIC = re.compile(r"(?:社区|城市|城区|乡镇|农村|村级|县级|市级|区级|卫生|服务|文化|体育|健身|综合|标准化|现代|"
                           r"特色|公共|公益|便民|农贸|养老|物流|商贸|商业|休闲|生态|景观|旅游|停车|绿地|口袋|街心|全民|"
                           r"城乡|道路|专业|游客|媒体|运动员|无障碍|小商品|家居建材|园区|主题|酒店|安全|饮水|提标|危房|输配电|线路|社会事业|民生保障|"
                           r"起步区|全民健身|整体|设施|公厕|外立面|人居环境|环境|村庄|市区|畅通|泵站|活动|智慧城市|智慧|巷道|"
                           r"通村|通乡|通组|村村通|主干|次干|背街|小巷|老旧|棚户区|保障性|安居|周边|沿线|主要|大型|高端|星级|一批|"
                           r"各类|新建|改造|新|老|大|小|中|主|重点|国家级|省级|养殖|种植|示范|购物|设备|配套|附属|"
                           r"标准化|规模化|集约化|科技化|现代化|信息化|智能化|数字化|产业化|市场化|专业化|精细化|绿化|亮化|美化|硬化|"
                           r"办公|冰上|运动|冬季|老人|日间照料|给排水|供排水|排水|雨水|污水|管网|公交站亭|立交|"
                           r"中小学|职业高中|素质教育|学前教育|"
                           r"[一二三四五六七八九十\d]+[条座个处所家]?)+")
# Verbs before a works' name: 新建、改造|胜利大街.
WORKS_LEAD = re.compile(r"(?:建成开放|建成投用|新建|改造|改扩建|修建|扩建|打造|完成|启动|推进|实施|建设|建成|开工建设|续建|加快)(?=[\u4e00-\u9fff]{2})")

# Works a firm owns and names after itself: its market, its production line, its relocation, its
# data centre (万家惠|农贸批发市场, 赤阳春|建材生产线, 华润雪花|迁建, 国网信通|大数据项目); the short name
# before them is the firm's.
FIRM_WORKS = re.compile(r"(?:农贸|果蔬|粮油|蔬菜|批发|零售|二手车|建材|家居|汽配|交易)+市场|"
                        r"(?:建材|机械|农机|食品|乳品|智能化|自动化)?生产线|迁建|大数据(?:中心|项目)|数据中心|"
                        r"(?:再生资源|物流|快递)?分拣中心")

# Rail lines: 13号线东延伸, 18号线二期, 崇明线 in a list of them.
RAIL_LINE = re.compile(r"(?<![\d.])\d{1,2}号线(?:[东西南北]延伸|[一二三四五六]期)?")
# A named line extended (嘉闵线北延伸): the extension is the works (the name is read before 线).
LINE_EXTENSION = re.compile(r"线[东西南北]延伸(?:[一二三四五六]期)?")
