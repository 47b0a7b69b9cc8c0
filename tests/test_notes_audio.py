"""Voice uploads are judged by their bytes: real recordings made by a real
encoder (ffmpeg, stored here as base64) pass with their length measured;
video, renamed files, damaged, empty, oversized and overlong ones are refused
with a clear message; and no input makes the parser fail in any other way."""

from __future__ import annotations

import base64
import io
import struct
import wave

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tending.notes.audio import (
    DAMAGED,
    EMPTY,
    MAX_BYTES,
    NOT_AUDIO,
    TOO_BIG,
    VIDEO,
    AudioError,
    inspect,
)

# Half-second sine tones and tiny videos made with ffmpeg 5.1 (bitexact, no
# metadata). webm_live was written the way browsers record: unknown segment
# size, no declared duration; m4a_fragmented like Safari's MediaRecorder.
SAMPLES_B64 = {
    "ogg_opus": (
        "T2dnUwACAAAAAAAAAAAAAAAAAAAAAAIotXIBE09wdXNIZWFkAQE4AYC7AAAAAABPZ2dTAAAAAAAAAAAAAAAAAAAB"
        "AAAASZW+VAEuT3B1c1RhZ3MGAAAAZmZtcGVnAQAAABQAAABlbmNvZGVyPUxhdmMgbGlib3B1c09nZ1MABPheAAAA"
        "AAAAAAAAAAIAAABA3pKLGg0WEhEODxEREhAREQ8SDRAREA8ODw0MDg4SCINtgtAc/epJ/gE/wAinGl2KmC5fbwXL"
        "Shrtt/PI1gVO+kAIoS8Q5F373FJ+ve3ZB17QI4AIoUzAPetxsC5c5l1zxdf0wAihONB3MqpcT5Knbg64CKE40Hcv"
        "R45L43pJWXNgCKEvEORd+8Sx7D15RNiDQxQIoS8Q5KP4gcTvqDsnJmfSOAihONB3MqpcLv75YkVJCNLwgAihONB3"
        "Mqpej9VHaqB4qlkIoUgDRtVSc9qEshdZd6WHBwihONB3Mqpb8H8yX5SmoTIWCKE40Hcyql5Ns0/cmLTOCKE40Hcy"
        "qlxLq5cO0ZKyBpxkCKE40Hcyql5SkHSnkgihSANG1VJz2oSBtW7FTZIIoTjQdzKqVptukXVlFc0sPAihLxDkXfvc"
        "BvI/PlACXwgIoTjQdzKqVrnEC37CEMAIoTjQdzKqXlKPIQibgAihSANG1VJz2oSvGXBhQAihONB3MqpWm2utx6AI"
        "oS8Q5F373AbmYCoIoouEseWzId00ECn4aAiigS78AjMVHCv+76EgCIOcAYqTahZALMUGjSqzpHBg"
    ),
    "webm": (
        "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYECGFOAZwEAAAAAAAPmEU2bdLpNu4tTq4QVSalmU6yB"
        "oU27i1OrhBZUrmtTrIHGTbuMU6uEElTDZ1OsggEwTbuMU6uEHFO7a1OsggPQ7AEAAAAAAABZAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAVSalmoCrXsYMPQkBNgIRMYXZmV0GETGF2ZkSJiEB/wAAAAAAAFlSua+WuAQAAAAAAAFzXgQFz"
        "xYgAAAAAAAAAAZyBACK1nIN1bmSIgQCGhkFfT1BVU1aqg2MuoFa7hATEtACDgQLhkZ+BAbWIQOdwAAAAAABiZIEQ"
        "Y6KTT3B1c0hlYWQBATgBgLsAAAAAABJUw2fSc3PPY8CLY8WIAAAAAAAAAAFnyJlFo4dFTkNPREVSRIeMTGF2YyBs"
        "aWJvcHVzZ8iiRaOIRFVSQVRJT05Eh5QwMDowMDowMC41MDgwMDAwMDAAAB9DtnVCQ+eBAKORgQAAgAiDbYLQHP3q"
        "Sf4BP8CjmoEAFYAIpxpdipguX28Fy0oa7bfzyNYFTvpAo5aBACmACKEvEORd+9xSfr3t2Qde0COAo5WBAD2ACKFM"
        "wD3rcbAuXOZdc8XX9MCjkoEAUYAIoTjQdzKqXE+Sp24OuKOTgQBlgAihONB3L0eOS+N6SVlzYKOVgQB5gAihLxDk"
        "XfvEsew9eUTYg0MUo5WBAI2ACKEvEOSj+IHE76g7JyZn0jijloEAoYAIoTjQdzKqXC7++WJFSQjS8ICjlIEAtYAI"
        "oTjQdzKqXo/VR2qgeKpZo5WBAMmACKFIA0bVUnPahLIXWXelhwejlYEA3YAIoTjQdzKqW/B/Ml+UpqEyFqOTgQDx"
        "gAihONB3MqpeTbNP3Ji0zqOWgQEFgAihONB3MqpcS6uXDtGSsgacZKORgQEZgAihONB3MqpeUpB0p5KjlIEBLYAI"
        "oUgDRtVSc9qEgbVuxU2So5WBAUGACKE40HcyqlabbpF1ZRXNLDyjlIEBVYAIoS8Q5F373AbyPz5QAl8Io5OBAWmA"
        "CKE40Hcyqla5xAt+whDAo5KBAX2ACKE40Hcyql5SjyEIm4Cjk4EBkYAIoUgDRtVSc9qErxlwYUCjkYEBpYAIoTjQ"
        "dzKqVptrrcego5CBAbmACKEvEORd+9wG5mAqo5KBAc2ACKKLhLHlsyHdNBAp+GijkoEB4YAIooEu/AIzFRwr/u+h"
        "IKCfoZaBAfUACIOcAYqTahZALMUGjSqzpHBgdaKEAM3+YBxTu2uRu4+zgQC3iveBAfGCAYfwgQM="
    ),
    "webm_live": (
        "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYECGFOAZwH/////////EU2bdKtNu4tTq4QVSalmU6yB"
        "oU27i1OrhBZUrmtTrIG7TbuMU6uEElTDZ1OsggEl7AEAAAAAAABoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAVSalmlSrXsYMPQkBNgIRMYXZmV0GETGF2ZhZUrmvlrgEAAAAAAABc14EBc8WIAAAAAAAAAAGc"
        "gQAitZyDdW5kiIEAhoZBX09QVVNWqoNjLqBWu4QExLQAg4EC4ZGfgQG1iEDncAAAAAAAYmSBEGOik09wdXNIZWFk"
        "AQE4AYC7AAAAAAASVMNnrXNzqmPAi2PFiAAAAAAAAAABZ8iZRaOHRU5DT0RFUkSHjExhdmMgbGlib3B1cx9DtnVC"
        "Q+eBAKORgQAAgAiDbYLQHP3qSf4BP8CjmoEAFYAIpxpdipguX28Fy0oa7bfzyNYFTvpAo5aBACmACKEvEORd+9xS"
        "fr3t2Qde0COAo5WBAD2ACKFMwD3rcbAuXOZdc8XX9MCjkoEAUYAIoTjQdzKqXE+Sp24OuKOTgQBlgAihONB3L0eO"
        "S+N6SVlzYKOVgQB5gAihLxDkXfvEsew9eUTYg0MUo5WBAI2ACKEvEOSj+IHE76g7JyZn0jijloEAoYAIoTjQdzKq"
        "XC7++WJFSQjS8ICjlIEAtYAIoTjQdzKqXo/VR2qgeKpZo5WBAMmACKFIA0bVUnPahLIXWXelhwejlYEA3YAIoTjQ"
        "dzKqW/B/Ml+UpqEyFqOTgQDxgAihONB3MqpeTbNP3Ji0zqOWgQEFgAihONB3MqpcS6uXDtGSsgacZKORgQEZgAih"
        "ONB3MqpeUpB0p5KjlIEBLYAIoUgDRtVSc9qEgbVuxU2So5WBAUGACKE40HcyqlabbpF1ZRXNLDyjlIEBVYAIoS8Q"
        "5F373AbyPz5QAl8Io5OBAWmACKE40Hcyqla5xAt+whDAo5KBAX2ACKE40Hcyql5SjyEIm4Cjk4EBkYAIoUgDRtVS"
        "c9qErxlwYUCjkYEBpYAIoTjQdzKqVptrrcego5CBAbmACKEvEORd+9wG5mAqo5KBAc2ACKKLhLHlsyHdNBAp+Gij"
        "koEB4YAIooEu/AIzFRwr/u+hIKCfoZaBAfUACIOcAYqTahZALMUGjSqzpHBgdaKEAM3+YA=="
    ),
    "m4a": (
        "AAAAHGZ0eXBNNEEgAAACAE00QSBpc29taXNvMgAAAAhmcmVlAAADcm1kYXQBHFKpaaN3WftH2+JKu5aJEiRIkkG1"
        "bTtW07VtO1cZ2rjO1bTPTtinbFYdq2nauM7VxnKspyracq2mxYnHYnKspCBCBCBCJKMlGVRlUpkrSmuuV1d25gbs"
        "UoEoGBgYGBjZuWWWWWWU3LLLLLLKblllllllllllllllllllllllllllllllllllllllllllllllllllllllllll"
        "llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll"
        "ll4BAJzZPRVEuhlEuxdkvn2+f/4v/P9euONauR/0/T/8P/P8eePN6l1n/T8/+n/z9dccX1WpP/T8/+n/3+utccaX"
        "SZdGKPAy6MSccujFHhpmbDFc00y5lzPNNMlmjZZfkP14LsEDhKMJ1nOiqoxjUGjoojoN0DqFBug3VPRRWFK2bIt7"
        "Zs2Ed9IuEbRLi+yewjs2bIr8iRwVlzLOdiPPOc51KVGpSp555551TqnVOqeeedQnUpU888886jfRvoopfnUvWlDs"
        "c+NrsG+J3D8FOdUPNzTqnn5p+b5KnIkIOj5bFDgBEvKK4uZlZzz3+f+n/261xxepcuXWq0ve+KqKA9yD/wBn0A/x"
        "mA99AP8AOhPuCHv76IQPgB33Af+DB33IP/DYT7kD/DYHuQPmzAe+gD4zBPvoMJL+HiP4xxBT+PhO/iPJ9j+HiR/j"
        "4SwYwBIMQIBEIgAEwqFg2xAJTAcBFjKLooFKyu//7H/8l6uXckXERfM48a22EYsonRixdaonl9M6MWLnVE8FznjG"
        "m+jqUTyzTxYsonBPLrVFpZROjF6jqqiYuueLFlE9Xcmjqqi039M8XmyierueXWrtSDToxZRPVE8utSE39M8Xc9Qu"
        "ALh7WrXbpvr1mBEIAAEwBUKABABwAUIyi+YUqs7/b/HV3cuSSJIkSEQTrgeRMqh5BTrgZFO1ueimVQEZRmE9Acin"
        "ogZFzKoeRMqjnZFOuBkXMqh5E09HOyKdrc9FzKoeRlnXAyKdqh6KZVDzmWdcDIuZqh5E09HO5FOvc9FzNUPImnog"
        "ZFOvc9FzKoeRlno52RTtbnoplUPOZZ1wMinFDyJlUc7kU64GRcyqHkTKogZFOuBiJlUPIyz0QMinXue4AAAC6m1v"
        "b3YAAABsbXZoZAAAAAAAAAAAAAAAAAAAA+gAAAH0AAEAAAEAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAQAA"
        "AAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIAAAI5dHJhawAAAFx0a2hkAAAAAwAA"
        "AAAAAAAAAAAAAQAAAAAAAAH0AAAAAAAAAAAAAAABAQAAAAABAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAA"
        "QAAAAAAAAAAAAAAAAAAAJGVkdHMAAAAcZWxzdAAAAAAAAAABAAAB9AAABAAAAQAAAAABsW1kaWEAAAAgbWRoZAAA"
        "AAAAAAAAAAAAAAAAH0AAABOgVcQAAAAAAC1oZGxyAAAAAAAAAABzb3VuAAAAAAAAAAAAAAAAU291bmRIYW5kbGVy"
        "AAAAAVxtaW5mAAAAEHNtaGQAAAAAAAAAAAAAACRkaW5mAAAAHGRyZWYAAAAAAAAAAQAAAAx1cmwgAAAAAQAAASBz"
        "dGJsAAAAanN0c2QAAAAAAAAAAQAAAFptcDRhAAAAAAAAAAEAAAAAAAAAAAACABAAAAAAH0AAAAAAADZlc2RzAAAA"
        "AAOAgIAlAAEABICAgBdAFQAAAAAAK30AACt9BYCAgAUViFblAAaAgIABAgAAACBzdHRzAAAAAAAAAAIAAAAEAAAE"
        "AAAAAAEAAAOgAAAAHHN0c2MAAAAAAAAAAQAAAAEAAAAFAAAAAQAAAChzdHN6AAAAAAAAAAAAAAAFAAAA3gAAAOEA"
        "AAB7AAAAhQAAAKsAAAAUc3RjbwAAAAAAAAABAAAALAAAABpzZ3BkAQAAAHJvbGwAAAACAAAAAf//AAAAHHNiZ3AA"
        "AAAAcm9sbAAAAAEAAAAFAAAAAQAAAD11ZHRhAAAANW1ldGEAAAAAAAAAIWhkbHIAAAAAAAAAAG1kaXJhcHBsAAAA"
        "AAAAAAAAAAAACGlsc3Q="
    ),
    "m4a_fragmented": (
        "AAAAHGZ0eXBpc281AAACAGlzbzVpc282bXA0MQAAAphtb292AAAAbG12aGQAAAAAAAAAAAAAAAAAAAPoAAAAAAAB"
        "AAABAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAACAAABv3RyYWsAAABcdGtoZAAAAAMAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAQEA"
        "AAAAAQAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAVttZGlhAAAAIG1kaGQAAAAA"
        "AAAAAAAAAAAAAB9AAAAAAFXEAAAAAAAtaGRscgAAAAAAAAAAc291bgAAAAAAAAAAAAAAAFNvdW5kSGFuZGxlcgAA"
        "AAEGbWluZgAAABBzbWhkAAAAAAAAAAAAAAAkZGluZgAAABxkcmVmAAAAAAAAAAEAAAAMdXJsIAAAAAEAAADKc3Ri"
        "bAAAAH5zdHNkAAAAAAAAAAEAAABubXA0YQAAAAAAAAABAAAAAAAAAAAAAgAQAAAAAB9AAAAAAAA2ZXNkcwAAAAAD"
        "gICAJQABAASAgIAXQBUAAAAAAB9AAAAfQAWAgIAFFYhW5QAGgICAAQIAAAAUYnRydAAAAAAAAB9AAAAfQAAAABBz"
        "dHRzAAAAAAAAAAAAAAAQc3RzYwAAAAAAAAAAAAAAFHN0c3oAAAAAAAAAAAAAAAAAAAAQc3RjbwAAAAAAAAAAAAAA"
        "KG12ZXgAAAAgdHJleAAAAAAAAAABAAAAAQAAAAAAAAAAAAAAAAAAAD11ZHRhAAAANW1ldGEAAAAAAAAAIWhkbHIA"
        "AAAAAAAAAG1kaXJhcHBsAAAAAAAAAAAAAAAACGlsc3QAAACMbW9vZgAAABBtZmhkAAAAAAAAAAEAAAB0dHJhZgAA"
        "ABx0ZmhkAAIAOAAAAAEAAAQAAAAA3gIAAAAAAAAUdGZkdAEAAAAAAAAAAAAAAAAAADx0cnVuAAADAQAAAAUAAACU"
        "AAAEAAAAAN4AAAQAAAAA4QAABAAAAAB7AAAEAAAAAIUAAAOgAAAAqwAAA3JtZGF0ARxSqWmjd1n7R9viSruWiRIk"
        "SJJBtW07VtO1bTtXGdq4ztW0z07Yp2xWHatp2rjO1cZyrKcq2nKtpsWJx2JyrKQgQgQgQiSjJRlUZVKZK0prrldX"
        "duYG7FKBKBgYGBgY2blllllllNyyyyyyym5ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
        "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
        "ZZZZZZZeAQCc2T0VRLoZRLsXZL59vn/+L/z/XrjjWrkf9P0//D/z/HnjzepdZ/0/P/p/8/XXHF9VqT/0/P/p/9/r"
        "rXHGl0mXRijwMujEnHLoxR4aZmwxXNNMuZczzTTJZo2WX5D9eC7BA4SjCdZzoqqMY1Bo6KI6DdA6hQboN1T0UVhS"
        "tmyLe2bNhHfSLhG0S4vsnsI7NmyK/IkcFZcyznYjzznOdSlRqUqeeeeedU6p1TqnnnnUJ1KVPPPPPOo30b6KKX51"
        "L1pQ7HPja7Bvidw/BTnVDzc06p5+afm+SpyJCDo+WxQ4ARLyiuLmZWc89/n/p/9utccXqXLl1qtL3viqigPcg/8A"
        "Z9AP8ZgPfQD/ADoT7gh7++iED4Ad9wH/gwd9yD/w2E+5A/w2B7kD5swHvoA+MwT76DCS/h4j+McQU/j4Tv4jyfY/"
        "h4kf4+EsGMASDECARCIABMKhYNsQCUwHARYyi6KBSsrv/+x//Jerl3JFxEXzOPGtthGLKJ0YsXWqJ5fTOjFi51RP"
        "Bc54xpvo6lE8s08WLKJwTy61RaWUToxeo6qomLrnixZRPV3Jo6qotN/TPF5sonq7nl1q7Ug06MWUT1RPLrUhN/TP"
        "F3PULgC4e1q126b69ZgRCAABMAVCgAQAcAFCMovmFKrO/2/x1d3LkkiSJEhEE64HkTKoeQU64GRTtbnoplUBGUZh"
        "PQHIp6IGRcyqHkTKo52RTrgZFzKoeRNPRzsina3PRcyqHkZZ1wMinaoeimVQ85lnXAyLmaoeRNPRzuRTr3PRczVD"
        "yJp6IGRTr3PRcyqHkZZ6OdkU7W56KZVDzmWdcDIpxQ8iZVHO5FOuBkXMqh5EyqIGRTrgYiZVDyMs9EDIp17nuAAA"
        "AENtZnJhAAAAK3RmcmEBAAAAAAAAAQAAAAAAAAABAAAAAAAAAAAAAAAAAAACtAEBAQAAABBtZnJvAAAAAAAAAEM="
    ),
    "mp3": (
        "/+MYxAAK8AbVuUEAAv9HcNtgBg+D4PvUCAIHIPg+fxOD4PoggcRB8H34IOu/wxwG/SGOXfznT7ulJoc4WcQ3/GVE"
        "JRyhC3+D/+MYxA8QmUKQAZRQAG8H6ge5ABlxEnAPiYDmR1gd6mHvgGgCQCorCKC6//IR6KpEPh8ab//5CgNCUJA1"
        "/4lOg0r//////////+MYxAcOaKY8Ad4AAP/////40iEYA4ASSQXAKMCsF4wfwajCHFKMQulwxvhNjDbBaMD0D4FA"
        "XiEAMDAKoSW07dP//vgSpVAg/+MYxAgNqKYsAFa8YCmJFGfQGycnl9GIANucd+h5p+CpmGqC8YJQC5QA8gRBoACA"
        "VL6x////3+U///9a/1//fGMDIYEAAdcF/+MYxAwO6KYsAKewgIIBpyIHmpGIyKqc5FMpq8iHmHkCsYMoFpgYARG6"
        "RjOX8Urx///Z/v9P////////Rf//+TsVQOAwSYQN/+MYxAsNaKYwAAb+RJgKECJ0AhGBgSyEkYCKDdEgESDADgwA"
        "MAVCAAsiAEECa4b/////+j///1L///4xgBgAA30DACAcDAsB/+MYxBANOKZAAVYAACAQC8DEaMsDH2bUDq7FsDek"
        "P4DBsCADAMAkAIF4CQCiPhmBCiEgEj/HMIIwyn+MwVBZggpIuB2k4jeP/+MYxBYSiS6UKZRoAIA5NITgLgBtwDgY"
        "SK//gnYK+PMd4mZT//8zL5usvhc//y4nPh8u//6AfAZomNf//QTcauQqO1ct2AA//+MYxAYM8LbRucMAA/2Zl/4z"
        "MpcYMzNxmZtVAm/VVAQp/QUGCvBQUKf4KDHf0FChvgoMFP8FChv+SCpMQU1FMy4xMDCqqqqq"
    ),
    "mp3_id3": (
        "SUQzBAAAAAAACgAAAAAAAAAAAAD/4zjAAAAAAAAAAAAASW5mbwAAAA8AAAAJAAADYABVVVVVVVVVVVVVVWpqampq"
        "ampqampqgICAgICAgICAgICVlZWVlZWVlZWVlaqqqqqqqqqqqqqqwMDAwMDAwMDAwMDV1dXV1dXV1dXV1erq6urq"
        "6urq6urq//////////////8AAAAATGF2ZiBsYW1lAAAAAAAAAAAAAAAAJAJgAAAAAAAAA2Bn6zLAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD/4xjEAArwBtW5QQAC/0dw22AGD4Pg+9QIAgcg"
        "+D5/E4Pg+iCBxEHwffgg67/DHAb9IY5d/OdPu6UmhzhZxDf8ZUQlHKELf4P/4xjEDxCZQpABlFAAbwfqB7kAGXES"
        "cA+JgOZHWB3qYe+AaAJAKisIoLr/8hHoqkQ+Hxpv//kKA0JQkDX/iU6DSv//////////4xjEBw5opjwB3gAA////"
        "//jSIRgDgBJJBcAowKwXjB/BqMIcUoxC6XDG+E2MNsFowPQPgUBeIQAwMAqhJbTt0//++BKlUCD/4xjECA2opiwA"
        "VrxgKYkUZ9AbJyeX0YgA25x36Hmn4KmYaoLxglALlADyBEGgAIBUvrH////f5T///1r/X/98YwMhgQAB1wX/4xjE"
        "DA7opiwAp7CAggGnIgeakYjIqpzkUymryIeYeQKxgygWmBgBEbpGM5fxSvH//9n+/0////////9F///5OxVA4DBJ"
        "hA3/4xjECw1opjAABv5EmAoQInQCEYGBLISRgIoN0SARIMAODAAwBUIACyIAQQJrhv/////6P///Uv///jGAGAAD"
        "fQMAIBwMCwH/4xjEEA04pkABVgAAIBALwMRoywMfZtQOrsWwN6Q/gMGwIAMAwCQAgXgJAKI+GYEKISASP8cwgjDK"
        "f4zBUFmCCki4HaTiN4//4xjEFhKJLpQplGgAgDk0hOAuAG3AOBhIr/+Cdgr48x3iZlP//zMvm6y+Fz//Lic+Hy7/"
        "/oB8BmiY1//9BNxq5Co7Vy3YAD//4xjEBgzwttG5wwAD/ZmX/jMylxgzM3GZm1UCb9VUBCn9BQYK8FBQp/goMd/Q"
        "UKG+CgwU/wUKG/5IKkxBTUUzLjEwMKqqqqo="
    ),
    "video_webm": (
        "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQJChYECGFOAZwEAAAAAAAG/EU2bdLpNu4tTq4QVSalmU6yB"
        "oU27i1OrhBZUrmtTrIHGTbuMU6uEElTDZ1OsggEMTbuMU6uEHFO7a1OsggGp7AEAAAAAAABZAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAVSalmoCrXsYMPQkBNgIRMYXZmV0GETGF2ZkSJiEBZAAAAAAAAFlSua8GuAQAAAAAAADjXgQFz"
        "xYgAAAAAAAAAAZyBACK1nIN1bmSIgQCGhVZfVlA4g4EBI+ODhAX14QDgibCBELqBEJqBAhJUw2fRc3POY8CLY8WI"
        "AAAAAAAAAAFnyJhFo4dFTkNPREVSRIeLTGF2YyBsaWJ2cHhnyKJFo4hEVVJBVElPTkSHlDAwOjAwOjAwLjEwMDAw"
        "MDAwMAAAH0O2dcLngQCjvYEAAIDwAgCdASoQABAAAEcIhYWIhYSIAgICdaoD+AP6Ag1NGAD+/W7z/+OZNzDE/45t"
        "//FhPA4oyP/xUQAcU7trkbuPs4EAt4r3gQHxggFi8IED"
    ),
    "video_mp4": (
        "AAAAHGZ0eXBpc29tAAACAGlzb21pc28ybXA0MQAAAAhmcmVlAAAAHG1kYXQAAAGzABAHAAABthDAowoNsFkDwQAA"
        "Awttb292AAAAbG12aGQAAAAAAAAAAAAAAAAAAAPoAAAAZAABAAABAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAA"
        "AAEAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAAACWnRyYWsAAABcdGtoZAAA"
        "AAMAAAAAAAAAAAAAAAEAAAAAAAAAZAAAAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAA"
        "AAAAAEAAAAAAEAAAABAAAAAAACRlZHRzAAAAHGVsc3QAAAAAAAAAAQAAAGQAAAAAAAEAAAAAAdJtZGlhAAAAIG1k"
        "aGQAAAAAAAAAAAAAAAAAACgAAAAEAFXEAAAAAAAtaGRscgAAAAAAAAAAdmlkZQAAAAAAAAAAAAAAAFZpZGVvSGFu"
        "ZGxlcgAAAAF9bWluZgAAABR2bWhkAAAAAQAAAAAAAAAAAAAAJGRpbmYAAAAcZHJlZgAAAAAAAAABAAAADHVybCAA"
        "AAABAAABPXN0YmwAAADZc3RzZAAAAAAAAAABAAAAyW1wNHYAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAEAAQAEgA"
        "AABIAAAAAAAAAAEKTGF2YyBtcGVnNAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAY//8AAABPZXNkcwAAAAADgICAPgAB"
        "AASAgIAwIBEAAAAAAw1AAAAGQAWAgIAeAAABsAEAAAG1iRMAAAEAAAABIADEjYgAVQCEAhRjBoCAgAECAAAAEHBh"
        "c3AAAAABAAAAAQAAABRidHJ0AAAAAAADDUAAAAZAAAAAGHN0dHMAAAAAAAAAAQAAAAEAAAQAAAAAHHN0c2MAAAAA"
        "AAAAAQAAAAEAAAABAAAAAQAAABRzdHN6AAAAAAAAABQAAAABAAAAFHN0Y28AAAAAAAAAAQAAACwAAAA9dWR0YQAA"
        "ADVtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABtZGlyYXBwbAAAAAAAAAAAAAAAAAhpbHN0"
    ),
}

SAMPLES = {name: base64.b64decode("".join(parts)) for name, parts in SAMPLES_B64.items()}

# (format, length in seconds as ffprobe measures it; mp4 and mp3 include the
# encoder's priming samples, which we count too)
EXPECTED = {
    "ogg_opus": ("ogg-opus", 0.5),
    "webm": ("webm", 0.5),
    "webm_live": ("webm", 0.5),
    "m4a": ("mp4", 0.63),
    "m4a_fragmented": ("mp4", 0.63),
    "mp3": ("mp3", 0.65),
    "mp3_id3": ("mp3", 0.65),
}


def make_wav(seconds: float, rate: int = 8000, width: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(b"\x80" * int(seconds * rate) * width)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_recordings_pass_with_their_length(name: str) -> None:
    info = inspect(SAMPLES[name])
    fmt, seconds = EXPECTED[name]
    assert info.format == fmt
    assert info.mime.startswith("audio/")
    assert info.seconds == pytest.approx(seconds, abs=0.1)


def test_wav_length_comes_from_its_data() -> None:
    info = inspect(make_wav(2.5, rate=16000, width=2))
    assert (info.format, info.mime) == ("wav", "audio/wav")
    assert info.seconds == pytest.approx(2.5)


@pytest.mark.parametrize("name", ["video_webm", "video_mp4"])
def test_video_is_refused(name: str) -> None:
    with pytest.raises(AudioError) as refused:
        inspect(SAMPLES[name])
    assert str(refused.value) == VIDEO


@pytest.mark.parametrize(
    "data",
    [
        b"Dear Bob, this is just text with a .webm name.\n" * 3,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02",
        b"<!doctype html><script>alert(1)</script>",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40,
        b"",
        b"RIFF\x24\x00\x00\x00AVI LIST" + b"\x00" * 40,
    ],
    ids=["text", "pdf", "png", "html", "zip", "empty", "avi"],
)
def test_files_that_are_not_audio_are_refused(data: bytes) -> None:
    with pytest.raises(AudioError) as refused:
        inspect(data)
    assert str(refused.value) == NOT_AUDIO
    assert "WebM, Ogg, MP4/M4A, WAV or MP3" in NOT_AUDIO


@pytest.mark.parametrize("name", ["ogg_opus", "webm", "webm_live", "m4a", "m4a_fragmented"])
def test_a_recording_cut_short_is_refused(name: str) -> None:
    # Three bytes short: the last element, page or box ends past the file's end.
    with pytest.raises(AudioError) as refused:
        inspect(SAMPLES[name][:-3])
    assert str(refused.value) == DAMAGED


def test_an_empty_recording_is_refused() -> None:
    with pytest.raises(AudioError) as refused:
        inspect(make_wav(0))
    assert str(refused.value) == EMPTY


def test_more_than_five_minutes_is_refused_with_its_length() -> None:
    assert inspect(make_wav(299)).seconds == pytest.approx(299)
    with pytest.raises(AudioError) as refused:
        inspect(make_wav(301))
    assert "runs 5:01" in str(refused.value)
    assert "up to five minutes" in str(refused.value)


def test_an_ogg_stream_that_claims_to_run_long_is_refused() -> None:
    data = bytearray(SAMPLES["ogg_opus"])
    last = data.rfind(b"OggS")
    # Granule position of the last page: 6 minutes at Opus's 48 kHz.
    data[last + 6 : last + 14] = struct.pack("<q", 48_000 * 360)
    with pytest.raises(AudioError) as refused:
        inspect(bytes(data))
    assert "runs 6:00" in str(refused.value)


def test_larger_than_ten_megabytes_is_refused_before_parsing() -> None:
    with pytest.raises(AudioError) as refused:
        inspect(b"OggS" + b"\x00" * MAX_BYTES)
    assert str(refused.value) == TOO_BIG


_PREFIXES = [
    b"\x1a\x45\xdf\xa3",
    b"OggS\x00",
    b"\x00\x00\x00\x18ftyp",
    b"RIFF\x00\x00\x00\x00WAVE",
    b"ID3",
    b"\xff\xfb",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_PREFIXES), rest=st.binary(max_size=400))
def test_any_bytes_are_either_audio_or_refused_kindly(prefix: bytes, rest: bytes) -> None:
    try:
        info = inspect(prefix + rest)
    except AudioError as refused:
        assert str(refused)
    else:
        assert 0.05 < info.seconds <= 300


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=6),
)
def test_damaged_real_files_are_either_audio_or_refused_kindly(
    name: str, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(SAMPLES[name])
    for at, value in flips:
        data[at % len(data)] = value
    try:
        info = inspect(bytes(data))
    except AudioError as refused:
        assert str(refused)
    else:
        assert 0.05 < info.seconds <= 300
