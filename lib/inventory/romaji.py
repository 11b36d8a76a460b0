"""Kana written in romaji the way the seed writes them: Hepburn, with long
vowels spelt out (おお oo, おう ou, ゆう yuu, コーヒー koohii), never macrons;
ん is always n (kinyoubi, genin); っ doubles the next consonant (っち is tch)."""
import re


class Unreadable(ValueError):
    """The text is not Japanese that the dictionary can read."""


KANA_ROMAJI = dict(pair.split("=") for pair in """
あ=a い=i う=u え=e お=o か=ka き=ki く=ku け=ke こ=ko さ=sa し=shi す=su せ=se そ=so
た=ta ち=chi つ=tsu て=te と=to な=na に=ni ぬ=nu ね=ne の=no は=ha ひ=hi ふ=fu へ=he ほ=ho
ま=ma み=mi む=mu め=me も=mo や=ya ゆ=yu よ=yo ら=ra り=ri る=ru れ=re ろ=ro
わ=wa ゐ=i ゑ=e を=o ん=n が=ga ぎ=gi ぐ=gu げ=ge ご=go ざ=za じ=ji ず=zu ぜ=ze ぞ=zo
だ=da ぢ=ji づ=zu で=de ど=do ば=ba び=bi ぶ=bu べ=be ぼ=bo ぱ=pa ぴ=pi ぷ=pu ぺ=pe ぽ=po
ゔ=vu ぁ=a ぃ=i ぅ=u ぇ=e ぉ=o ゃ=ya ゅ=yu ょ=yo ゎ=wa
きゃ=kya きゅ=kyu きょ=kyo しゃ=sha しゅ=shu しょ=sho ちゃ=cha ちゅ=chu ちょ=cho
にゃ=nya にゅ=nyu にょ=nyo ひゃ=hya ひゅ=hyu ひょ=hyo みゃ=mya みゅ=myu みょ=myo
りゃ=rya りゅ=ryu りょ=ryo ぎゃ=gya ぎゅ=gyu ぎょ=gyo じゃ=ja じゅ=ju じょ=jo
ぢゃ=ja ぢゅ=ju ぢょ=jo びゃ=bya びゅ=byu びょ=byo ぴゃ=pya ぴゅ=pyu ぴょ=pyo
しぇ=she ちぇ=che じぇ=je てぃ=ti でぃ=di とぅ=tu どぅ=du でゅ=dyu ふぁ=fa ふぃ=fi ふぇ=fe
ふぉ=fo うぃ=wi うぇ=we うぉ=wo ゔぁ=va ゔぃ=vi ゔぇ=ve ゔぉ=vo いぇ=ye
""".split())
SMALL = set("ゃゅょぁぃぅぇぉゎ")
HIRAGANA = re.compile(r"[\u3041-\u3096\u30fc]+")
KANJI = re.compile(r"[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def to_hiragana(kana):
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in kana)


def morae(kana):
    """'きょうは' -> ['きょ', 'う', 'は']: a kana with its small ya/yu/yo is one.
    Katakana stay katakana (a part's text must be the word's)."""
    units = []
    for char in kana:
        if to_hiragana(char) in SMALL and units and to_hiragana(units[-1] + char) in KANA_ROMAJI:
            units[-1] += char
        else:
            units.append(char)
    return units


def romaji_of(units):
    """Romaji of each mora; っ and ー take their sound from their neighbours."""
    out = []
    units = [to_hiragana(unit) for unit in units]
    for index, unit in enumerate(units):
        if unit == "ー":
            vowel = out[-1][-1] if out and out[-1][-1] in "aeiou" else None
            if vowel is None:
                raise Unreadable("a long-vowel mark with no vowel before it")
            out.append(vowel)
        elif unit == "っ":
            following = units[index + 1] if index + 1 < len(units) else ""
            sound = KANA_ROMAJI.get(following, "")
            if not sound or sound[0] in "aeiou":
                raise Unreadable("a small tsu with no consonant after it")
            out.append("t" if sound.startswith("ch") else sound[0])
        elif unit in KANA_ROMAJI:
            out.append(KANA_ROMAJI[unit])
        else:
            raise Unreadable(f"cannot write {unit!r} in romaji")
    return out
