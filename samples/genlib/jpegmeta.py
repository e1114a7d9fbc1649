"""Hand-built JPEG and PNG metadata of the kind an image editor leaves behind.

Only forged files get these. They are written byte by byte so that nothing depends on the
clock or on a library's idea of what an editor writes.
"""

import hashlib
import struct

from PIL import Image


def exif_app1(software, datetime_str):
    """APP1 Exif payload (without the marker) naming the editing software."""
    exif = Image.Exif()
    exif[0x0112] = 1                      # Orientation: top-left
    exif[0x0131] = software               # Software
    exif[0x0132] = datetime_str           # DateTime (last modified, "YYYY:MM:DD HH:MM:SS")
    return exif.tobytes()                 # starts with b"Exif\0\0"


def xmp_packet(tool, modify_date, actions):
    """A small but well-formed XMP packet: CreatorTool, dates and an edit history."""
    events = "".join(
        '<rdf:li stEvt:action="%s" stEvt:when="%s" stEvt:softwareAgent="%s"/>'
        % (action, when, tool) for action, when in actions)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
        'xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
        'xmp:CreatorTool="%s" xmp:ModifyDate="%s" xmp:MetadataDate="%s" '
        'xmpMM:DocumentID="xmp.did:5c0e9a51-2f3b-4d7e-9a61-0b7f3c1d2e4a" '
        'xmpMM:OriginalDocumentID="xmp.did:a81f2c36-7d94-4e05-b3a2-6c5d8e9f0a17">'
        '<xmpMM:History><rdf:Seq>%s</rdf:Seq></xmpMM:History>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
        % (tool, modify_date, modify_date, events))


def _irb(resource_id, data):
    """One Photoshop image resource block: 8BIM, id, empty Pascal name, size, even-padded."""
    block = b"8BIM" + struct.pack(">H", resource_id) + b"\0\0" + struct.pack(">I", len(data))
    return block + data + (b"\0" if len(data) % 2 else b"")


def photoshop_app13(quality_code=6):
    """APP13 'Photoshop 3.0' with an IPTC record (0x0404), its MD5 digest (0x0425) and the
    JPEG quality record (0x0406: quality code where 6 means Photoshop quality 10, format
    0 = baseline standard, 1 scan)."""
    iptc = b"\x1c\x02\x00\x00\x02\x00\x04"          # IPTC 2:00 ApplicationRecordVersion = 4
    body = (_irb(0x0404, iptc) + _irb(0x0425, hashlib.md5(iptc).digest())
            + _irb(0x0406, struct.pack(">hHh", quality_code, 0, 1)))
    return b"Photoshop 3.0\0" + body


def _segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def insert_app_segments(jpeg, segments):
    """Insert (marker, payload) segments after the APPn segments the encoder wrote."""
    assert jpeg[:2] == b"\xff\xd8"
    pos = 2
    while jpeg[pos] == 0xFF and 0xE0 <= jpeg[pos + 1] <= 0xEF:
        pos += 2 + struct.unpack(">H", jpeg[pos + 2:pos + 4])[0]
    extra = b"".join(_segment(m, p) for m, p in segments)
    return jpeg[:pos] + extra + jpeg[pos:]
