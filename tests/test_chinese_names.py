"""The Chinese names in data/aliases.csv agree across scripts.

For every food, each Traditional name (lang zh-Hant) converted to Simplified by OpenCC must be one of
that food's Simplified names (lang zh-Hans); a `zh` row counts for both scripts, so it must convert to
itself; and a food with any Chinese name has one in each script. A typo, a character from the wrong
script or a name that drifted from its counterpart (the two scripts naming different things) fails.

OpenCC config: plain `t2s` (character conversion), not `tw2sp`. `tw2sp` also swaps Taiwan vocabulary
for mainland vocabulary from OpenCC's own phrase list (乳酪 -> 奶酪, 義大利 -> 意大利 ...), which would make
OpenCC's dictionary, and whichever version of it is installed, the judge of our wording. With `t2s`,
every place where the customary term differs between Taiwan and the mainland is written down below,
where a reviewer can see and challenge it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from d3k2db import K2Database

opencc = pytest.importorskip("opencc", reason="opencc is in the `test` extra")

DATA = Path(__file__).resolve().parent.parent / "data"

# Customary Taiwan (Traditional) term -> mainland (Simplified) term for the same thing. After t2s, a
# Traditional name may have any combination of these replaced before it is looked up among the food's
# Simplified names. Only term pairs that mean the same thing belong here; never a whole name just to
# make the test pass. A term with two mainland words (起司: 奶酪 and 芝士) has a pair for each. Hong Kong
# terms (薯仔, 椰菜 …) are Traditional customary terms too and are marked so.
TERM_EXCEPTIONS: list[tuple[str, str]] = [
    # dairy
    ("乳酪", "奶酪"),  # cheese
    ("起司", "奶酪"),  # cheese (loanword)
    ("起司", "芝士"),  # cheese: the mainland and Hong Kong loanword (芝士汉堡, 芝士比萨)
    ("起司鍋", "奶酪火锅"),  # cheese fondue
    ("加工乳酪", "再制奶酪"),  # processed cheese
    ("鄉村乳酪", "农家干酪"),  # cottage cheese
    ("優格飲", "酸奶饮料"),  # yogurt drink (ayran)
    ("優格", "酸奶"),  # yogurt
    ("優酪乳", "酸奶饮品"),  # drinking yogurt
    ("鮮乳", "鲜奶"),  # fresh milk
    ("保久乳", "常温奶"),  # UHT milk
    ("咖啡用奶水", "咖啡淡奶"),  # evaporated milk
    ("奶精粉", "植脂末"),  # powdered creamer
    ("奶精", "植脂末"),  # non-dairy creamer
    ("鮮奶油", "淡奶油"),  # whipping cream
    ("鮮奶油", "奶油"),  # cream: mainland 奶油 is cream (奶油泡芙, 打发奶油)
    ("噴霧鮮奶油", "喷射奶油"),  # aerosol whipped cream
    ("液態鮮奶油", "液态奶油"),  # liquid cream (mainland 奶油 = cream here)
    ("奶油", "黄油"),  # butter: Taiwan 奶油 is butter (optional swap, so 奶油乳酪 = 奶油奶酪 still matches)
    ("抹醬", "酱"),  # spread
    ("抹醬", "涂抹酱"),  # spread
    ("白脫牛奶", "酪乳"),  # buttermilk
    ("乳瑪琳", "麦淇淋"),  # margarine
    ("乳瑪琳", "人造黄油"),  # margarine (the commoner mainland word)
    ("克菲爾", "开菲尔"),  # kefir (transliteration)
    ("冰沙", "思慕雪"),  # smoothie
    ("冰棒", "冰棍"),  # ice pop
    # cheese names: different transliterations
    ("莫札瑞拉", "马苏里拉"),  # mozzarella
    ("古岡左拉", "戈贡佐拉"),  # gorgonzola
    ("布利", "布里"),  # brie
    ("艾曼塔", "埃曼塔"),  # emmental
    ("洛克福", "罗克福"),  # roquefort
    ("拉克雷特", "拉克莱特"),  # raclette
    ("曼徹格", "曼切戈"),  # manchego
    ("瑞可塔", "里科塔"),  # ricotta
    # vegetables, fruit, nuts and oils
    ("馬鈴薯", "土豆"),  # potato
    ("黃金馬鈴薯", "黄心土豆"),  # yellow-fleshed (gold) potato
    ("薯仔", "土豆"),  # potato (Hong Kong)
    ("薯蓉", "土豆泥"),  # mashed potato (Hong Kong)
    ("薯格餅", "华夫薯饼"),  # potato waffle
    ("紅肉地瓜", "红心红薯"),  # orange-fleshed sweet potato
    ("樹薯", "木薯"),  # cassava
    ("高麗菜", "卷心菜"),  # cabbage
    ("紫高麗菜", "紫甘蓝"),  # red cabbage
    ("椰菜", "卷心菜"),  # cabbage (Hong Kong)
    ("綠花椰菜", "西兰花"),  # broccoli
    ("青花菜", "西兰花"),  # broccoli
    ("花椰菜", "菜花"),  # cauliflower
    ("白花椰菜", "菜花"),  # cauliflower
    ("萵苣", "生菜"),  # lettuce (mainland 莴苣 is mostly the stem lettuce)
    ("結球萵苣", "球生菜"),  # iceberg lettuce
    ("美生菜", "球生菜"),  # iceberg lettuce
    ("蘿蔓", "罗马生菜"),  # romaine
    ("蘿蔓萵苣", "罗马生菜"),  # romaine
    ("小黃瓜", "黄瓜"),  # cucumber: Taiwan's 小黃瓜 is the ordinary cucumber
    ("朝鮮薊", "洋蓟"),  # artichoke
    ("芹菜根", "根芹"),  # celeriac
    ("汆燙", "焯水"),  # blanched
    ("海帶芽", "裙带菜"),  # wakame
    ("聖女番茄", "圣女果"),  # grape / cherry tomato
    ("洋菇", "白蘑菇"),  # button mushroom
    ("褐色洋菇", "棕蘑菇"),  # crimini
    ("秀珍菇", "平菇"),  # oyster mushroom
    ("蠔菇", "平菇"),  # oyster mushroom (Hong Kong)
    ("波特菇", "波多贝罗菇"),  # portobello
    ("舞菇", "灰树花"),  # maitake
    ("芭樂", "番石榴"),  # guava
    ("柳丁", "橙"),  # orange
    ("柳橙", "橙"),  # orange
    ("酪梨", "牛油果"),  # avocado
    ("鳳梨番石榴", "菲油果"),  # feijoa
    ("斐濟果", "菲油果"),  # feijoa
    ("覆盆子", "树莓"),  # raspberry
    ("紅毛榴槤", "刺果番荔枝"),  # soursop
    ("綠橄欖", "青橄榄"),  # green olives
    ("板豆腐", "老豆腐"),  # firm tofu
    ("傳統豆腐", "老豆腐"),  # firm tofu
    ("絹豆腐", "内酯豆腐"),  # silken tofu
    ("青豆仁", "青豆"),  # green peas
    ("米豆", "眉豆"),  # black-eyed peas
    ("黑龜豆", "黑芸豆"),  # black beans
    ("腰豆", "芸豆"),  # kidney beans (白腰豆 / 白芸豆)
    ("黃豆", "大豆"),  # soybean
    ("杏仁果", "扁桃仁"),  # almond (the mainland's 杏仁 is the apricot kernel)
    ("胡桃", "碧根果"),  # pecan
    ("美國胡桃", "碧根果"),  # pecan
    ("葵花子", "葵花籽"),  # sunflower seeds
    ("葵花油", "葵花籽油"),  # sunflower oil
    ("亞麻仁油", "亚麻籽油"),  # flaxseed oil
    ("芥花", "菜籽"),  # canola (玉米芥花調和油)
    ("芥花籽油", "菜籽油"),  # canola oil
    ("大豆沙拉油", "大豆油"),  # soybean oil: Taiwan's 沙拉油 is refined soybean oil
    ("烘焙", "烤"),  # roasted (nuts and seeds)
    # grains, bakery, snacks
    ("米精", "米粉"),  # infant rice cereal
    ("麥精", "米粉"),  # infant cereal (the mainland sells every kind as 米粉)
    ("大麥精", "大麦粉"),  # infant barley cereal
    ("燕麥精", "燕麦粉"),  # infant oat cereal
    ("穀片", "谷物片"),  # breakfast cereal flakes
    ("什錦果麥", "什锦麦片"),  # muesli
    ("玉米粗粉", "玉米糁"),  # grits
    ("玉米粉", "玉米淀粉"),  # cornflour: Taiwan's 玉米粉 is cornstarch, the mainland's is cornmeal
    ("快煮", "快熟"),  # quick-cooking
    ("即食", "速食"),  # instant (Taiwan's 速食 is fast food)
    ("即溶", "速溶"),  # instant (powder)
    ("速食", "快餐"),  # fast food
    ("速食麵", "方便面"),  # instant noodles
    ("泡麵", "方便面"),  # instant noodles
    ("塔", "挞"),  # tart (蛋塔 / 蛋挞)
    ("卡士達", "卡仕达"),  # custard (transliteration)
    ("可頌", "牛角包"),  # croissant
    ("比司吉", "比斯吉"),  # American biscuit (transliteration)
    ("巧巴達", "恰巴塔"),  # ciabatta (transliteration)
    ("潘娜朵尼", "潘妮托尼"),  # panettone (transliteration)
    ("法國麵包", "法棍"),  # baguette
    ("酸種麵包", "酸面包"),  # sourdough bread
    ("熱壓吐司", "烤三明治"),  # toasted sandwich
    ("麵包粉", "面包糠"),  # breadcrumbs
    ("餅乾", "曲奇"),  # cookie
    ("麗滋", "乐之"),  # Ritz crackers: the brand's own name in each market
    ("鬆餅", "华夫饼"),  # waffle
    ("焦糖煎餅", "焦糖华夫饼"),  # stroopwafel
    ("樹幹蛋糕", "树桩蛋糕"),  # yule log cake
    ("點心", "零食"),  # snack
    ("綜合", "混合"),  # mixed, assorted (綜合堅果)
    ("綜合", "什锦"),  # mixed, assorted (trail mix)
    ("綜合咖啡", "拼配咖啡"),  # coffee blend
    ("包裝", "预包装"),  # prepacked
    ("錠", "片"),  # tablet
    ("販賣機", "自动售货机"),  # vending machine
    # dishes, sauces, places
    ("義大利", "意大利"),  # Italy
    ("義式", "意式"),  # Italian-style
    ("義大利麵", "意面"),  # spaghetti, pasta
    ("燉飯", "烩饭"),  # risotto
    ("披薩", "比萨"),  # pizza (transliteration)
    ("餅皮", "饼底"),  # pizza crust
    ("厚皮", "厚底"),  # thick (pan) pizza crust
    ("義式臘腸", "意式辣香肠"),  # pepperoni
    ("卡波納拉", "卡邦尼"),  # carbonara (transliteration)
    ("培根蛋汁", "培根蛋酱"),  # carbonara
    ("焗烤", "焗"),  # baked au gratin
    ("烘蛋", "煎蛋饼"),  # Spanish omelette
    ("咖哩", "咖喱"),  # curry
    ("鑲", "酿"),  # stuffed (甜椒鑲肉 / 甜椒酿肉)
    ("串燒", "烤串"),  # skewer
    ("咕咾肉", "咕噜肉"),  # sweet and sour pork
    ("沙嗲", "沙爹"),  # satay
    ("烤肉醬", "烧烤酱"),  # barbecue sauce
    ("料理包", "调理包"),  # ready-meal kit
    ("牧場", "田园"),  # ranch (dressing)
    ("美乃滋", "蛋黄酱"),  # mayonnaise
    ("美式熱狗", "玉米热狗肠"),  # corn dog
    ("蝦餅", "虾片"),  # prawn crackers
    ("西多士", "法式吐司"),  # French toast (Hong Kong)
    ("粟米牛肉", "咸牛肉"),  # corned beef (Hong Kong)
    ("益力多", "养乐多"),  # Yakult: the brand's Hong Kong name
    ("阿帕契", "阿帕奇"),  # Apache (transliteration)
    ("蘇利南", "苏里南"),  # Suriname (transliteration)
    ("羅提", "罗蒂"),  # roti (transliteration)
    ("橡實", "橡子"),  # acorn
    # meat, poultry and cuts
    ("辣臘腸", "辣香肠"),  # pepperoni
    ("波隆那", "博洛尼亚"),  # Bologna
    ("紐約克", "纽约客"),  # New York (strip)
    ("牛絞肉", "牛肉馅"),  # ground beef
    ("絞肉", "肉馅"),  # ground meat
    ("絞肉", "肉末"),  # minced meat
    ("牛後腿股肉", "牛后腿肉"),  # beef round
    ("牛腱子心", "牛腱子"),  # beef shank
    ("牛肩胛肉", "牛上脑"),  # beef chuck
    ("沙朗", "西冷"),  # sirloin
    ("豬後腿瘦肉", "猪后腿肉"),  # pork leg
    ("豬大里肌", "猪通脊"),  # pork loin
    ("豬腰內肉", "猪里脊"),  # pork tenderloin
    ("腰內肉", "里脊肉"),  # pork tenderloin
    ("里肌", "里脊"),  # loin
    ("豬蹄膀", "猪肘"),  # pork hock
    ("山豬", "野猪"),  # wild boar
    ("棒棒腿", "琵琶腿"),  # chicken drumstick
    ("棒腿", "琵琶腿"),  # chicken drumstick
    ("雞腳", "鸡爪"),  # chicken feet
    ("二節翅", "中翅"),  # chicken wing midsection
    ("骨腿", "带骨鸡腿"),  # bone-in chicken leg (Taiwan FDA term)
    ("去皮清肉", "鸡胸肉"),  # skinless chicken breast (Taiwan FDA term)
    ("珠雞", "珍珠鸡"),  # guinea fowl
    ("平飼", "平养"),  # barn eggs (hens kept on the floor)
    ("放牧雞蛋", "散养鸡蛋"),  # free-range eggs
    ("睪", "睾"),  # testis: t2s keeps 睪, the mainland standard form is 睾
    # fish and seafood: where Taiwan's and the mainland's common names of a species differ (scientific
    # name given), and characters whose standard simplified form the mainland trade does not use
    ("含皮", "带皮"),  # with skin: the Taiwan FDA writes 含皮
    ("阿拉斯加鱈", "阿拉斯加狭鳕"),  # Alaska pollock (Gadus chalcogrammus)
    ("魮", "鲃"),  # barbs (Catla): Taiwan names the genus 魮, the mainland 鲃
    ("𫚔", "鮰"),  # 鮰 (catfish): t2s gives the rare standard 𫚔; mainland trade names keep 鮰
    ("𫚕", "鰤"),  # 鰤 (amberjacks): t2s gives the rare standard 𫚕; mainland names keep 鰤
    ("𫚉", "魟"),  # 魟 (stingrays): t2s gives the rare standard 𫚉; mainland names keep 魟
    ("𩽾𩾌", "鮟鱇"),  # 鮟鱇 (monkfish): t2s gives the rare standard 𩽾𩾌; mainland names keep 鮟鱇
    ("鯰", "鲇"),  # catfish: the mainland's standard form is 鲇 (t2s gives its variant 鲶)
    ("鰈魚切片", "鲽鱼片"),  # flatfish fillet
    ("蚵仔", "牡蛎"),  # oyster (Taiwanese)
    ("草對蝦", "斑节对虾"),  # giant tiger prawn (Penaeus monodon)
    ("白對蝦", "南美白对虾"),  # whiteleg shrimp (Litopenaeus vannamei)
    ("蟬蝦", "琵琶虾"),  # flathead lobster (Thenus)
    ("蟹腳", "蟹腿"),  # crab legs
    ("鎖管", "枪乌贼"),  # squid (Uroteuthis)
    ("綠殼菜蛤", "翡翠贻贝"),  # green mussel (Perna viridis)
    ("鮪魚", "金枪鱼"),  # tuna
    ("鮪", "金枪鱼"),  # tuna (黃鰭鮪, yellowfin)
    ("水煮鮪魚", "水浸金枪鱼"),  # tuna canned in brine
    ("油漬", "油浸"),  # canned in oil
    ("鮭魚", "三文鱼"),  # salmon
    ("秋鮭魚", "大麻哈鱼"),  # chum salmon (Oncorhynchus keta)
    ("吳郭魚", "罗非鱼"),  # tilapia
    ("尼羅口孵非鯽", "尼罗罗非鱼"),  # Nile tilapia (Oreochromis niloticus)
    ("多利魚", "巴沙鱼"),  # pangasius (Taiwan's trade name)
    ("魩仔", "吻仔"),  # whitebait
    ("魚脯", "鱼干"),  # dried fish
    ("柳葉魚", "多春鱼"),  # capelin (Mallotus villosus)
    ("喜相逢", "多春鱼"),  # capelin (Mallotus villosus)
    ("海鱺", "军曹鱼"),  # cobia (Rachycentron canadum)
    ("金目鱸", "尖吻鲈"),  # barramundi (Lates calcarifer)
    ("鸚哥魚", "鹦嘴鱼"),  # parrotfishes (Scarus)
    ("灰海鰻", "海鳗"),  # daggertooth pike conger (Muraenesox cinereus)
    ("刺尾鯛", "刺尾鱼"),  # surgeonfishes (Acanthurus)
    ("浪人鰺", "珍鲹"),  # giant trevally (Caranx ignobilis)
    ("烏魚", "鲻鱼"),  # grey mullet (Mugil cephalus)
    ("鱷形叉尾鶴鱵", "鳄形圆颌针鱼"),  # hound needlefish (Tylosurus crocodilus)
    ("鑽嘴魚", "银鲈"),  # silver biddy (Gerres)
    ("雨傘旗魚", "平鳍旗鱼"),  # sailfish (Istiophorus platypterus)
    ("正鰹", "鲣鱼"),  # skipjack tuna (Katsuwonus pelamis)
    ("煙仔虎", "鲣鱼"),  # skipjack tuna (Katsuwonus pelamis)
    ("劍旗魚", "剑鱼"),  # swordfish (Xiphias gladius)
    ("臭肚魚", "篮子鱼"),  # rabbitfishes (Siganus)
    ("鬼頭刀", "鲯鳅"),  # mahi-mahi (Coryphaena hippurus)
    ("土魠魚", "康氏马鲛"),  # narrow-barred Spanish mackerel (Scomberomorus commerson)
    ("馬加鰆", "马鲛"),  # Spanish mackerels (Scomberomorus)
    ("寶石大眼鯛", "金目大眼鲷"),  # moontail bullseye (Priacanthus hamrur)
    ("點帶石斑魚", "斜带石斑鱼"),  # orange-spotted grouper (Epinephelus coioides)
    ("圓眼燕魚", "圆燕鱼"),  # orbicular batfish (Platax orbicularis)
    ("龍占魚", "裸颊鲷"),  # emperors (Lethrinus)
    ("曼波魚", "翻车鱼"),  # ocean sunfish (Mola mola)
    ("花身鯻", "细鳞鯻"),  # jarbua terapon (Terapon jarbua)
    # Taiwan's "鯛魚片" is tilapia fillet; on the mainland a bare 鲷鱼 is sea bream, so the
    # Simplified name says where it is from.
    ("鯛魚片", "台湾鲷鱼片"),
]


def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _names() -> tuple[dict[str, list[str]], dict[str, set[str]], dict[str, list[str]]]:
    aliases = pd.read_csv(DATA / "aliases.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    hant: dict[str, list[str]] = defaultdict(list)
    hans: dict[str, set[str]] = defaultdict(set)
    both: dict[str, list[str]] = defaultdict(list)
    for food, alias, lang in aliases[["food", "alias", "lang"]].itertuples(index=False):
        if lang == "zh-Hant":
            hant[food].append(alias)
        elif lang == "zh-Hans":
            hans[food].add(alias)
        elif lang == "zh":
            both[food].append(alias)
    return hant, hans, both


def simplified_readings(cc: opencc.OpenCC, traditional: str) -> set[str]:
    """t2s of the name, and every variant with some of TERM_EXCEPTIONS' mainland terms swapped in."""
    readings = {cc.convert(traditional)}
    for taiwan, mainland in TERM_EXCEPTIONS:
        key = cc.convert(taiwan)
        readings |= {r.replace(key, mainland) for r in readings if key in r}
    return readings


def test_zh_rows_are_the_same_in_both_scripts():
    cc = _t2s()
    _, _, both = _names()
    wrong = [(f, n, cc.convert(n)) for f, names in both.items() for n in names if cc.convert(n) != n]
    assert not wrong, f"lang zh rows that are not script-neutral (use zh-Hant + zh-Hans): {wrong}"


def test_every_food_with_a_chinese_name_has_both_scripts():
    hant, hans, both = _names()
    foods = set(hant) | set(hans) | set(both)
    missing = sorted(f for f in foods if not (hant[f] or both[f]) or not (hans[f] or both[f]))
    assert not missing, f"foods with Chinese names in one script only: {missing}"


def _cheese_variant_of(name: str, names: set[str] | list[str]) -> bool:
    """A name that is a curated 乳酪 name of the same food written with another word for cheese."""
    return any(word in name and name.replace(word, "乳酪") in names for word in ("起司", "芝士"))


@pytest.mark.parametrize(
    ("typed", "food"),
    [
        ("高達乳酪", "gouda"),
        ("高達起司", "gouda"),
        ("高達芝士", "gouda"),
        ("高达奶酪", "gouda"),
        ("高达芝士", "gouda"),
        ("切達起司", "cheddar"),
        ("切达芝士", "cheddar"),
    ],
)
def test_cheese_names_are_found_by_every_customary_word(db_url: str, typed: str, food: str) -> None:
    """Taiwan writes 乳酪 or 起司, Hong Kong 芝士, the mainland 奶酪 or 芝士: each spelling of a
    cheese's name finds the same food, in show and in a meal."""
    with K2Database(db_url) as db:
        assert db.show(typed).name == food
        assert [(item.food, item.match) for item in db.meal([f"30 g {typed}"]).items] == [(food, "alias")]


def test_traditional_names_match_a_simplified_name():
    cc = _t2s()
    hant, hans, both = _names()
    wrong = []
    for food, names in sorted(hant.items()):
        simplified = hans[food] | set(both[food])
        for name in names:
            if _cheese_variant_of(name, names):
                continue  # tools/build_data.py CHEESE_WORDS: 起司 / 芝士 spellings of a curated 乳酪 name
            if not simplified_readings(cc, name) & simplified:
                wrong.append(f"{food}: {name} -> {cc.convert(name)} not in {sorted(simplified)}")
    assert not wrong, "Traditional names with no Simplified counterpart:\n" + "\n".join(wrong)


def test_exceptions_are_not_plain_script_conversions():
    # An entry whose two sides t2s already equates is no exception and only hides the rule.
    cc = _t2s()
    useless = [(k, v) for k, v in TERM_EXCEPTIONS if cc.convert(k) == v]
    assert not useless, useless


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        # goose liver, raw is goose liver pâté (foie gras) since the data review (tools/curation/renamed.csv)
        ("肝", {"beef liver, raw", "chicken liver, raw", "goose liver pâté (foie gras)", "calf liver"}),
        ("鮭魚", {"atlantic salmon, raw", "salmon, wild, raw", "salmon roe"}),
        ("乳酪", {"gouda", "cheddar", "brie", "camembert", "cream cheese"}),
        ("奶酪", {"gouda", "cheddar", "brie", "camembert"}),
    ],
)
def test_a_short_chinese_term_finds_every_name_that_contains_it(
    db_url: str, term: str, expected: set[str]
) -> None:
    """Chinese names have no spaces, so one or two characters (肝 liver, 鮭魚 salmon) are how a
    reader searches: every food whose Chinese name contains them is found, not only names that
    begin with them. (SQLite 3.40's trigram index finds nothing for such a term; the search reads
    the tables instead.)"""
    with K2Database(db_url) as db:
        found = {hit.name for hit in db.search(term, limit=500)}
    assert expected <= found
