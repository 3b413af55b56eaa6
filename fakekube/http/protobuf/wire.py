"""The protobuf wire format as Kubernetes bodies use it: varints, fields, scalars, packed lists, and
the Go text forms of times and durations.  Nothing here knows a Kubernetes message; the decoder in
``fakekube.http.protobuf`` walks messages with these."""

from __future__ import annotations

import base64
import math
import struct
from datetime import datetime, timedelta, timezone
from typing import Any

PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf"
MAGIC = b"k8s\x00"

MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1
ZERO_TIME_SECONDS = -62135596800  # Go's zero time.Time (0001-01-01T00:00:00Z) as Unix seconds
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

VARINT_TYPES = frozenset({"int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "enum"})
FIXED64_TYPES = frozenset({"fixed64", "sfixed64", "double"})
FIXED32_TYPES = frozenset({"fixed32", "sfixed32", "float"})
SCALAR_TYPES = VARINT_TYPES | FIXED64_TYPES | FIXED32_TYPES | {"string", "bytes"}

WIRE_VARINT = 0
WIRE_FIXED64 = 1
WIRE_BYTES = 2
WIRE_FIXED32 = 5


class ProtobufError(ValueError):
    """The body is not a decodable Kubernetes protobuf message (the caller answers 400)."""


class UnknownProtobufType(ProtobufError):
    """The envelope names a type with no known protobuf form, e.g. a custom resource (415)."""


Field = tuple[int, int, "int | memoryview"]  # number, wire type, value (int or the bytes slice)


def read_varint(buf: memoryview, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    end = len(buf)
    while True:
        if shift >= 64:
            raise ProtobufError("protobuf: varint overflows 64 bits")
        if pos >= end:
            raise ProtobufError("protobuf: unexpected end of data in varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result & MASK64, pos
        shift += 7


def iter_fields(buf: memoryview) -> list[Field]:
    out: list[Field] = []
    pos = 0
    end = len(buf)
    while pos < end:
        key, pos = read_varint(buf, pos)
        number = key >> 3
        wire = key & 7
        if number <= 0 or number > 0x1FFFFFFF:
            raise ProtobufError(f"protobuf: illegal field number {number}")
        if wire == WIRE_VARINT:
            value, pos = read_varint(buf, pos)
            out.append((number, wire, value))
        elif wire == WIRE_FIXED64:
            if pos + 8 > end:
                raise ProtobufError("protobuf: unexpected end of data in fixed64")
            out.append((number, wire, int.from_bytes(buf[pos : pos + 8], "little")))
            pos += 8
        elif wire == WIRE_FIXED32:
            if pos + 4 > end:
                raise ProtobufError("protobuf: unexpected end of data in fixed32")
            out.append((number, wire, int.from_bytes(buf[pos : pos + 4], "little")))
            pos += 4
        elif wire == WIRE_BYTES:
            length, pos = read_varint(buf, pos)
            if pos + length > end:
                raise ProtobufError("protobuf: length-delimited field runs past the end of its message")
            out.append((number, wire, buf[pos : pos + length]))
            pos += length
        else:
            raise ProtobufError(f"protobuf: unsupported wire type {wire} for field {number}")
    return out


def signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def scalar(ftype: str, wire: int, value: int | memoryview) -> Any:
    if ftype in VARINT_TYPES:
        if wire != WIRE_VARINT or not isinstance(value, int):
            raise ProtobufError(f"protobuf: wire type {wire} where a {ftype} varint was expected")
        if ftype == "bool":
            return value != 0
        if ftype in ("int32", "enum"):
            return signed(value, 32)
        if ftype == "int64":
            return signed(value, 64)
        if ftype == "uint32":
            return value & MASK32
        if ftype == "sint32":
            value &= MASK32
            return (value >> 1) ^ -(value & 1)
        if ftype == "sint64":
            return (value >> 1) ^ -(value & 1)
        return value  # uint64
    if ftype in FIXED64_TYPES or ftype in FIXED32_TYPES:
        expected = WIRE_FIXED64 if ftype in FIXED64_TYPES else WIRE_FIXED32
        if wire != expected or not isinstance(value, int):
            raise ProtobufError(f"protobuf: wire type {wire} where a {ftype} was expected")
        if ftype == "double":
            return json_number(struct.unpack("<d", value.to_bytes(8, "little"))[0])
        if ftype == "float":
            return json_number(struct.unpack("<f", value.to_bytes(4, "little"))[0])
        if ftype == "sfixed64":
            return signed(value, 64)
        if ftype == "sfixed32":
            return signed(value, 32)
        return value
    if wire != WIRE_BYTES or not isinstance(value, memoryview):
        raise ProtobufError(f"protobuf: wire type {wire} where a {ftype} was expected")
    if ftype == "string":
        # Go does not validate UTF-8 here; its JSON encoder then substitutes U+FFFD.
        return bytes(value).decode("utf-8", errors="replace")
    if ftype == "bytes":
        return base64.b64encode(value).decode("ascii")
    raise ProtobufError(f"protobuf: unknown scalar type {ftype}")


def json_number(value: float) -> int | float:
    if math.isnan(value) or math.isinf(value):
        raise ProtobufError(f"protobuf: {value} has no JSON representation")
    # Go's JSON encoder writes integral floats without a fraction ("3", not "3.0").
    if value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def packed(ftype: str, buf: memoryview) -> list[Any]:
    out: list[Any] = []
    pos = 0
    if ftype in VARINT_TYPES:
        while pos < len(buf):
            value, pos = read_varint(buf, pos)
            out.append(scalar(ftype, WIRE_VARINT, value))
        return out
    size, wire = (8, WIRE_FIXED64) if ftype in FIXED64_TYPES else (4, WIRE_FIXED32)
    if len(buf) % size:
        raise ProtobufError(f"protobuf: packed {ftype} data has a partial element")
    for pos in range(0, len(buf), size):
        out.append(scalar(ftype, wire, int.from_bytes(buf[pos : pos + size], "little")))
    return out


def by_number(buf: memoryview) -> dict[int, list[tuple[int, int | memoryview]]]:
    grouped: dict[int, list[tuple[int, int | memoryview]]] = {}
    for number, wire, value in iter_fields(buf):
        grouped.setdefault(number, []).append((wire, value))
    return grouped


def last(grouped: dict[int, list[tuple[int, int | memoryview]]], number: int, ftype: str, default: Any) -> Any:
    entries = grouped.get(number)
    if not entries:
        return default
    wire, value = entries[-1]
    return scalar(ftype, wire, value)


def format_time(seconds: int, micros: int | None) -> str:
    try:
        moment = EPOCH + timedelta(seconds=seconds)
    except OverflowError:
        raise ProtobufError(f"protobuf: timestamp {seconds} is out of range") from None
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    if micros is not None:
        text += f".{micros:06d}"
    return text + "Z"


def go_duration(ns: int) -> str:
    """``time.Duration.String()``: "0s", "1.5s", "1m0s", "2h3m4.005s", "250ms", "1µs", "10ns"."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)

    def fraction(value: int, digits: int) -> str:
        whole, part = divmod(value, 10**digits)
        return f"{whole}.{part:0{digits}d}".rstrip("0") if part else str(whole)

    if ns < 1_000:
        return f"{sign}{ns}ns"
    if ns < 1_000_000:
        return f"{sign}{fraction(ns, 3)}\u00b5s"
    if ns < 1_000_000_000:
        return f"{sign}{fraction(ns, 6)}ms"
    whole_seconds, part = divmod(ns, 1_000_000_000)
    hours, rest = divmod(whole_seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = fraction(seconds * 1_000_000_000 + part, 9) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    if minutes:
        return f"{sign}{minutes}m{text}"
    return sign + text
