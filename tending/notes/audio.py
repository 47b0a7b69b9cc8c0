"""Is an upload really a sound recording, and how long does it run?

Decided from the bytes alone, never from the file's name or the type the
browser claims. Each container is parsed far enough to find its tracks and its
length: WebM/Matroska (EBML, including the unknown-size clusters browsers write
while recording), Ogg (Opus, Vorbis, Speex), MP4/M4A (plain and fragmented, as
Safari records), WAV and MP3. Anything that cannot be verified is refused.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_SECONDS = 5 * 60


class AudioError(ValueError):
    """Why an upload was refused, in words meant for the person who sent it."""


NOT_AUDIO = (
    "This file doesn't look like a sound recording, whatever its name says. "
    "Voice messages can be WebM, Ogg, MP4/M4A, WAV or MP3 audio."
)
VIDEO = "This file holds video. Voice messages are sound only: please send an audio recording."
DAMAGED = (
    "We couldn't read this recording all the way through, so we can't accept it. "
    "It may be damaged or unfinished; recording it again usually helps."
)
EMPTY = "This recording seems to be empty. Try recording again?"
TOO_BIG = "This recording is larger than 10 MB. A shorter message will fit."


@dataclass(frozen=True)
class AudioInfo:
    format: str
    mime: str
    seconds: float


def too_long_message(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return (
        f"This recording runs {minutes}:{secs:02d}. Voice messages can be up to five minutes; "
        "a shorter one will fit."
    )


def inspect(data: bytes) -> AudioInfo:
    """The format and length of `data`, or AudioError saying why it is refused
    (not audio, video, damaged, empty, larger than 10 MB or longer than 5 minutes)."""
    if len(data) > MAX_BYTES:
        raise AudioError(TOO_BIG)
    if len(data) < 12:
        raise AudioError(NOT_AUDIO)
    parser = _parser_for(data)
    if parser is None:
        raise AudioError(NOT_AUDIO)
    try:
        info = parser(data)
    except (IndexError, struct.error, ValueError) as exc:
        if isinstance(exc, AudioError):
            raise
        raise AudioError(DAMAGED) from None
    if info.seconds <= 0.05:
        raise AudioError(EMPTY)
    if info.seconds > MAX_SECONDS:
        raise AudioError(too_long_message(info.seconds))
    return info


def _parser_for(data: bytes):  # type: ignore[no-untyped-def]
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return _matroska
    if data[:4] == b"OggS":
        return _ogg
    if data[4:8] == b"ftyp":
        return _mp4
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return _wav
    if data[:3] == b"ID3" or _mp3_header(data, 0) is not None:
        return _mp3
    return None


# WebM / Matroska -----------------------------------------------------------------------------

_EBML = 0x1A45DFA3
_DOCTYPE = 0x4282
_SEGMENT = 0x18538067
_CLUSTER = 0x1F43B675
_BLOCKGROUP = 0xA0
_INFO = 0x1549A966
_TRACKS = 0x1654AE6B
_TRACKENTRY = 0xAE
_TRACKTYPE = 0x83
_TIMECODESCALE = 0x2AD7B1
_DURATION = 0x4489
_TIMECODE = 0xE7
_SIMPLEBLOCK = 0xA3
_BLOCK = 0xA1
_BLOCKDURATION = 0x9B
# Master elements whose children we read; everything else is skipped by size.
# Reading children in place (rather than by size) copes with the unknown sizes
# a recording browser writes for the segment and its clusters.
_DESCEND = {_SEGMENT, _CLUSTER, _BLOCKGROUP, _INFO, _TRACKS, _TRACKENTRY}


def _ebml_id(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    if first == 0:
        raise AudioError(DAMAGED)
    length = 9 - first.bit_length()
    if length > 4:
        raise AudioError(DAMAGED)
    return int.from_bytes(data[pos : pos + length], "big"), length


def _ebml_size(data: bytes, pos: int) -> tuple[int | None, int]:
    """The size at `pos` and its length in bytes; None for "unknown size"."""
    first = data[pos]
    if first == 0:
        raise AudioError(DAMAGED)
    length = 9 - first.bit_length()
    value = first & ((1 << (8 - length)) - 1)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    if pos + length > len(data):
        raise AudioError(DAMAGED)
    if value == (1 << (7 * length)) - 1:
        return None, length
    return value, length


def _uint(raw: bytes) -> int:
    return int.from_bytes(raw, "big") if raw else 0


def _matroska(data: bytes) -> AudioInfo:
    element, id_len = _ebml_id(data, 0)
    size, size_len = _ebml_size(data, id_len)
    if element != _EBML or size is None:
        raise AudioError(NOT_AUDIO)
    header_end = id_len + size_len + size
    doctype = b""
    pos = id_len + size_len
    while pos < header_end:
        child, n = _ebml_id(data, pos)
        child_size, m = _ebml_size(data, pos + n)
        body = pos + n + m
        if child_size is None:
            raise AudioError(DAMAGED)
        if child == _DOCTYPE:
            doctype = data[body : body + child_size].rstrip(b"\x00")
        pos = body + child_size
    if doctype not in (b"webm", b"matroska"):
        raise AudioError(NOT_AUDIO)

    scale = 1_000_000  # nanoseconds per tick, Matroska's default
    declared = 0.0
    cluster_time = 0
    last_tick = 0
    track_types: set[int] = set()
    pos = header_end
    end = len(data)
    while pos < end:
        element, n = _ebml_id(data, pos)
        size, m = _ebml_size(data, pos + n)
        body = pos + n + m
        if element in _DESCEND:
            pos = body
            continue
        if size is None or body + size > end:
            raise AudioError(DAMAGED)
        raw = data[body : body + size]
        if element == _TIMECODESCALE:
            scale = _uint(raw) or scale
        elif element == _DURATION:
            declared = struct.unpack(">f" if size == 4 else ">d", raw)[0]
        elif element == _TRACKTYPE:
            track_types.add(_uint(raw))
        elif element == _TIMECODE:
            cluster_time = _uint(raw)
        elif element in (_SIMPLEBLOCK, _BLOCK):
            _track, t = _ebml_size(raw, 0)
            (relative,) = struct.unpack(">h", raw[t : t + 2])
            last_tick = max(last_tick, cluster_time + relative)
        pos = body + size
    if 1 in track_types:
        raise AudioError(VIDEO)
    if 2 not in track_types:
        raise AudioError(NOT_AUDIO)
    seconds = max(declared, float(last_tick)) * scale / 1e9
    mime = "audio/webm" if doctype == b"webm" else "audio/x-matroska"
    return AudioInfo("webm" if doctype == b"webm" else "matroska", mime, seconds)


# Ogg ----------------------------------------------------------------------------------------


def _ogg_codec(packet: bytes) -> tuple[str, int, int] | None:
    """(codec, sample rate, samples to skip) from a stream's first packet; None if not audio."""
    if packet.startswith(b"OpusHead"):
        (pre_skip,) = struct.unpack("<H", packet[10:12])
        return "opus", 48_000, pre_skip  # Opus granules always count at 48 kHz
    if packet.startswith(b"\x01vorbis"):
        (rate,) = struct.unpack("<I", packet[12:16])
        return "vorbis", rate, 0
    if packet.startswith(b"Speex   "):
        (rate,) = struct.unpack("<I", packet[36:40])
        return "speex", rate, 0
    return None


def _ogg(data: bytes) -> AudioInfo:
    streams: dict[int, tuple[str, int, int]] = {}
    granules: dict[int, int] = {}
    pos = 0
    end = len(data)
    while pos < end:
        if data[pos : pos + 4] != b"OggS" or data[pos + 4] != 0:
            raise AudioError(DAMAGED)
        flags = data[pos + 5]
        granule, serial, _seq, _crc, segments = struct.unpack("<qIIIB", data[pos + 6 : pos + 27])
        table = data[pos + 27 : pos + 27 + segments]
        if len(table) != segments:
            raise AudioError(DAMAGED)
        body = pos + 27 + segments
        page_end = body + sum(table)
        if page_end > end:
            raise AudioError(DAMAGED)
        if flags & 0x02:  # beginning of a logical stream: its first packet names the codec
            codec = _ogg_codec(data[body:page_end])
            if codec is None:
                first = data[body : body + 8]
                raise AudioError(VIDEO if b"theora" in first else NOT_AUDIO)
            streams[serial] = codec
        elif serial not in streams:
            raise AudioError(DAMAGED)
        if granule >= 0:
            granules[serial] = max(granules.get(serial, 0), granule)
        pos = page_end
    if not streams:
        raise AudioError(NOT_AUDIO)
    seconds = 0.0
    for serial, (_codec, rate, skip) in streams.items():
        if rate <= 0:
            raise AudioError(DAMAGED)
        seconds = max(seconds, (granules.get(serial, 0) - skip) / rate)
    codec = next(iter(streams.values()))[0]
    return AudioInfo(f"ogg-{codec}", "audio/ogg", seconds)


# MP4 / M4A ----------------------------------------------------------------------------------


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, body start, box end) for each box between start and end."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise AudioError(DAMAGED)
        yield kind, pos + header, pos + size
        pos += size
    if pos != end:
        raise AudioError(DAMAGED)


def _child(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for k, body, box_end in _boxes(data, start, end):
        if k == kind:
            return body, box_end
    return None


def _time_header(data: bytes, body: int) -> tuple[int, int]:
    """(timescale, duration) from an mvhd or mdhd box body."""
    if data[body] == 1:
        timescale, duration = struct.unpack(">IQ", data[body + 20 : body + 32])
    else:
        timescale, duration = struct.unpack(">II", data[body + 12 : body + 20])
    return timescale, duration


@dataclass
class _Track:
    handler: bytes = b""
    timescale: int = 0
    duration: int = 0
    default_sample_duration: int = 0
    fragments_end: int = 0


def _mp4_tracks(data: bytes, moov: tuple[int, int]) -> tuple[dict[int, _Track], float]:
    tracks: dict[int, _Track] = {}
    declared = 0.0
    for kind, body, end in _boxes(data, *moov):
        if kind == b"mvhd":
            timescale, duration = _time_header(data, body)
            if timescale and duration not in (0, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF):
                declared = max(declared, duration / timescale)
        elif kind == b"trak":
            track = _Track()
            tkhd = _child(data, body, end, b"tkhd")
            if tkhd is None:
                raise AudioError(DAMAGED)
            version = data[tkhd[0]]
            (track_id,) = struct.unpack(">I", data[tkhd[0] + (20 if version == 1 else 12) :][:4])
            mdia = _child(data, body, end, b"mdia")
            if mdia is None:
                raise AudioError(DAMAGED)
            for k, b, _e in _boxes(data, *mdia):
                if k == b"hdlr":
                    track.handler = data[b + 8 : b + 12]
                elif k == b"mdhd":
                    track.timescale, track.duration = _time_header(data, b)
            tracks[track_id] = track
        elif kind == b"mvex":
            for k, b, _e in _boxes(data, body, end):
                if k == b"trex":
                    track_id, _index, default_duration = struct.unpack(">III", data[b + 4 : b + 16])
                    if track_id in tracks:
                        tracks[track_id].default_sample_duration = default_duration
    return tracks, declared


def _mp4_fragment(data: bytes, moof: tuple[int, int], tracks: dict[int, _Track]) -> None:
    for kind, body, end in _boxes(data, *moof):
        if kind != b"traf":
            continue
        track: _Track | None = None
        default_duration = 0
        base_time = 0
        total = 0
        for k, b, _e in _boxes(data, body, end):
            if k == b"tfhd":
                flags = int.from_bytes(data[b + 1 : b + 4], "big")
                (track_id,) = struct.unpack(">I", data[b + 4 : b + 8])
                track = tracks.get(track_id)
                if track is None:
                    raise AudioError(DAMAGED)
                default_duration = track.default_sample_duration
                at = b + 8 + (8 if flags & 0x01 else 0) + (4 if flags & 0x02 else 0)
                if flags & 0x08:
                    (default_duration,) = struct.unpack(">I", data[at : at + 4])
            elif k == b"tfdt":
                fmt = ">Q" if data[b] == 1 else ">I"
                (base_time,) = struct.unpack(fmt, data[b + 4 : b + 4 + struct.calcsize(fmt)])
            elif k == b"trun":
                flags = int.from_bytes(data[b + 1 : b + 4], "big")
                (count,) = struct.unpack(">I", data[b + 4 : b + 8])
                at = b + 8 + (4 if flags & 0x01 else 0) + (4 if flags & 0x04 else 0)
                per_sample = 4 * bin(flags & 0xF00).count("1")
                if flags & 0x100:
                    for i in range(count):
                        (d,) = struct.unpack(
                            ">I", data[at + i * per_sample : at + i * per_sample + 4]
                        )
                        total += d
                else:
                    total += count * default_duration
        if track is not None:
            track.fragments_end = max(track.fragments_end, base_time + total)


def _mp4(data: bytes) -> AudioInfo:
    top = list(_boxes(data, 0, len(data)))
    moov = next(((b, e) for k, b, e in top if k == b"moov"), None)
    if moov is None:
        raise AudioError(DAMAGED)
    tracks, seconds = _mp4_tracks(data, moov)
    handlers = {t.handler for t in tracks.values()}
    if b"vide" in handlers:
        raise AudioError(VIDEO)
    if b"soun" not in handlers:
        raise AudioError(NOT_AUDIO)
    for kind, body, end in top:
        if kind == b"moof":
            _mp4_fragment(data, (body, end), tracks)
    for track in tracks.values():
        if track.timescale:
            seconds = max(seconds, max(track.duration, track.fragments_end) / track.timescale)
    return AudioInfo("mp4", "audio/mp4", seconds)


# WAV ----------------------------------------------------------------------------------------


def _wav(data: bytes) -> AudioInfo:
    pos = 12
    byte_rate = 0
    audio_bytes = None
    while pos + 8 <= len(data):
        chunk, size = struct.unpack("<4sI", data[pos : pos + 8])
        body = pos + 8
        if chunk == b"fmt ":
            _format, channels, rate, byte_rate = struct.unpack("<HHII", data[body : body + 12])
            if not channels or not rate or not byte_rate:
                raise AudioError(DAMAGED)
        elif chunk == b"data":
            if not byte_rate:
                raise AudioError(DAMAGED)
            # Streaming writers leave the size at its maximum; count what is there.
            audio_bytes = min(size, len(data) - body)
            break
        pos = body + size + (size & 1)
    if audio_bytes is None:
        raise AudioError(DAMAGED)
    return AudioInfo("wav", "audio/wav", audio_bytes / byte_rate)


# MP3 ----------------------------------------------------------------------------------------

_BITRATES = {
    # (MPEG-1?, layer) -> kbit/s by index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_TRAILERS = (b"TAG", b"APETAGEX", b"LYRICSBEGIN")


def _mp3_header(data: bytes, pos: int) -> tuple[int, int, int] | None:
    """(frame length, samples in the frame, sample rate) of a frame header at pos."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version = (data[pos + 1] >> 3) & 0x03
    layer_bits = (data[pos + 1] >> 1) & 0x03
    bitrate_index = data[pos + 2] >> 4
    rate_index = (data[pos + 2] >> 2) & 0x03
    padding = (data[pos + 2] >> 1) & 0x01
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    layer = 4 - layer_bits
    mpeg1 = version == 3
    bitrate = _BITRATES[(mpeg1, layer)][bitrate_index - 1] * 1000
    rate = _RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4, 384, rate
    samples = 1152 if layer == 2 or mpeg1 else 576
    return samples // 8 * bitrate // rate + padding, samples, rate


def _mp3(data: bytes) -> AudioInfo:
    pos = 0
    if data[:3] == b"ID3":
        size = 0
        for byte in data[6:10]:
            size = (size << 7) | (byte & 0x7F)
        pos = 10 + size + (10 if data[5] & 0x10 else 0)
    frames = 0
    seconds = 0.0
    while pos < len(data):
        header = _mp3_header(data, pos)
        if header is None:
            break
        length, samples, rate = header
        frames += 1
        seconds += samples / rate
        pos += length
    # A last frame cut short (pos past the end) leaves no tail: that is allowed.
    tail = data[pos:]
    if frames < 2:
        raise AudioError(NOT_AUDIO if frames == 0 else DAMAGED)
    if tail and not tail.startswith(_TRAILERS) and len(tail) > 4:
        raise AudioError(DAMAGED)
    return AudioInfo("mp3", "audio/mpeg", seconds)
