import { createHash } from "node:crypto";

/**
 * Just enough OpenPGP (RFC 4880) to pin a public key by fingerprint: the ASCII armor with its
 * CRC-24, the packet framing, the v4 fingerprint (SHA-1 over 0x99, the two-byte length and the
 * public-key packet body, RFC 4880 §12.2) and the expiry a self-signature states (§5.2.3.6,
 * subpacket 9, seconds after the key's creation). Verification itself is gpg's job on the VM.
 */

export interface OpenPgpKeyInfo {
    /** Upper-case hex, 40 characters: what gpg prints as the primary key fingerprint. */
    readonly fingerprint: string;
    readonly created: Date;
    /** When the newest self-signature says the key expires; undefined = never. */
    readonly expires?: Date;
    /** The binary key (the armor's payload): what gpgv takes as a keyring. */
    readonly binary: Buffer;
}

const ARMOR = /^-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n([\s\S]*?)\r?\n-----END PGP PUBLIC KEY BLOCK-----\s*$/;

/** CRC-24 of RFC 4880 §6.1. */
function crc24(data: Buffer): number {
    let crc = 0xb704ce;
    for (const byte of data) {
        crc ^= byte << 16;
        for (let i = 0; i < 8; i++) {
            crc <<= 1;
            if (crc & 0x1000000) {
                crc ^= 0x1864cfb;
            }
        }
    }
    return crc & 0xffffff;
}

/** The armor's payload, checked against its CRC-24 line. Headers ("Version: …") end at the first empty line. */
export function dearmorPublicKey(armored: string): Buffer {
    const match = ARMOR.exec(armored.trim());
    if (match === null) {
        throw new Error("not an ASCII-armored PGP public key block");
    }
    const lines = match[1].split(/\r?\n/);
    const blank = lines.findIndex((line) => line.trim() === "");
    const body = (blank === -1 ? lines : lines.slice(blank + 1)).map((line) => line.trim()).filter((line) => line !== "");
    const checksumLine = body.length > 0 && body[body.length - 1].startsWith("=") ? (body.pop() as string) : undefined;
    if (body.length === 0 || body.some((line) => !/^[A-Za-z0-9+/=]+$/.test(line))) {
        throw new Error("the key block has no base64 payload");
    }
    const data = Buffer.from(body.join(""), "base64");
    if (checksumLine === undefined) {
        throw new Error("the key block has no CRC-24 line (=XXXX)");
    }
    const expected = Buffer.from(checksumLine.slice(1), "base64");
    if (expected.length !== 3 || expected.readUIntBE(0, 3) !== crc24(data)) {
        throw new Error("the key block's CRC-24 does not match its payload (damaged or edited)");
    }
    return data;
}

interface Packet {
    readonly tag: number;
    /** The whole packet, header included. */
    readonly raw: Buffer;
    readonly body: Buffer;
}

function packets(data: Buffer): Packet[] {
    const result: Packet[] = [];
    let offset = 0;
    while (offset < data.length) {
        const start = offset;
        const header = data[offset++];
        if ((header & 0x80) === 0) {
            throw new Error(`byte ${start} is not an OpenPGP packet header`);
        }
        let tag: number;
        let length: number;
        if (header & 0x40) {
            // New format: one-, two- or five-octet lengths (partial lengths never occur in keys).
            tag = header & 0x3f;
            const first = data[offset++];
            if (first < 192) {
                length = first;
            } else if (first < 224) {
                length = ((first - 192) << 8) + data[offset++] + 192;
            } else if (first === 255) {
                length = data.readUInt32BE(offset);
                offset += 4;
            } else {
                throw new Error("partial-length packets are not valid in a public key");
            }
        } else {
            tag = (header >> 2) & 0x0f;
            const lengthType = header & 0x03;
            if (lengthType === 3) {
                throw new Error("indeterminate-length packets are not valid in a public key");
            }
            const octets = [1, 2, 4][lengthType];
            length = data.readUIntBE(offset, octets);
            offset += octets;
        }
        if (offset + length > data.length) {
            throw new Error("a packet runs past the end of the key");
        }
        result.push({ tag, raw: data.subarray(start, offset + length), body: data.subarray(offset, offset + length) });
        offset += length;
    }
    return result;
}

/** Subpackets of a v4 signature as [type, data] pairs: the hashed area, or the unhashed one after it. */
function subpacketsOf(signature: Buffer, which: "hashed" | "unhashed"): [number, Buffer][] {
    const hashedLength = signature.readUInt16BE(4);
    const area =
        which === "hashed"
            ? signature.subarray(6, 6 + hashedLength)
            : signature.subarray(8 + hashedLength, 8 + hashedLength + signature.readUInt16BE(6 + hashedLength));
    const result: [number, Buffer][] = [];
    let offset = 0;
    while (offset < area.length) {
        const first = area[offset++];
        let length: number;
        if (first < 192) {
            length = first;
        } else if (first < 255) {
            length = ((first - 192) << 8) + area[offset++] + 192;
        } else {
            length = area.readUInt32BE(offset);
            offset += 4;
        }
        result.push([area[offset] & 0x7f, area.subarray(offset + 1, offset + length)]);
        offset += length;
    }
    return result;
}

const PUBLIC_KEY = 6;
const SIGNATURE = 2;
const USER_ID = 13;
/** Certifications of a user id by the key itself (generic … positive). */
const SELF_CERTIFICATIONS = new Set([0x10, 0x11, 0x12, 0x13]);

/** Fingerprint, creation and stated expiry of the (single) primary key in an armored block. */
export function openPgpKeyInfo(armored: string): OpenPgpKeyInfo {
    const binary = dearmorPublicKey(armored);
    const all = packets(binary);
    const primaries = all.filter((packet) => packet.tag === PUBLIC_KEY);
    if (all[0]?.tag !== PUBLIC_KEY || primaries.length !== 1) {
        throw new Error(`expected exactly one primary public key, found ${primaries.length}`);
    }
    const key = all[0].body;
    if (key[0] !== 4) {
        throw new Error(`public key version ${key[0]} is not supported (v4 only)`);
    }
    const prefix = Buffer.alloc(3);
    prefix[0] = 0x99;
    prefix.writeUInt16BE(key.length, 1);
    const fingerprint = createHash("sha1").update(prefix).update(key).digest("hex").toUpperCase();
    const createdSeconds = key.readUInt32BE(1);

    // The user-id self-certifications (the signatures right after a user id), newest first.
    let expiresAfter: number | undefined;
    let newest = -1;
    let afterUserId = false;
    for (const packet of all.slice(1)) {
        if (packet.tag === USER_ID) {
            afterUserId = true;
            continue;
        }
        if (packet.tag !== SIGNATURE) {
            afterUserId = false;
            continue;
        }
        if (!afterUserId || packet.body[0] !== 4 || !SELF_CERTIFICATIONS.has(packet.body[1])) {
            continue;
        }
        const subpackets = subpacketsOf(packet.body, "hashed");
        // Issuer (16, key id) or issuer fingerprint (33): GnuPG 2.0 writes the key id unhashed.
        const issuers = [...subpackets, ...subpacketsOf(packet.body, "unhashed")];
        const issuer = issuers.find(([type]) => type === 33)?.[1] ?? issuers.find(([type]) => type === 16)?.[1];
        const issuerHex = issuer?.toString("hex").toUpperCase() ?? "";
        if (issuerHex === "" || !(issuerHex.endsWith(fingerprint.slice(-16)) || issuerHex.endsWith(fingerprint))) {
            continue; // a third party's certification says nothing about this key's expiry
        }
        const created = subpackets.find(([type]) => type === 2)?.[1].readUInt32BE(0) ?? 0;
        if (created > newest) {
            newest = created;
            const expiry = subpackets.find(([type]) => type === 9)?.[1];
            expiresAfter = expiry === undefined || expiry.readUInt32BE(0) === 0 ? undefined : expiry.readUInt32BE(0);
        }
    }
    return {
        fingerprint,
        created: new Date(createdSeconds * 1000),
        ...(expiresAfter === undefined ? {} : { expires: new Date((createdSeconds + expiresAfter) * 1000) }),
        binary,
    };
}
