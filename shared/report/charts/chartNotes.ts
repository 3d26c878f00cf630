/**
 * A chart's alt text and hover data carried inside its PNG (issue 13, items 4 and 5), as PNG
 * iTXt chunks (UTF-8, the hover data zlib-compressed): the Charts stage knows every series and
 * figure a chart shows, the Pages stage reads the PNG it embeds anyway, so the page gets both
 * with no other file and no figure computed twice. `Description` is PNG's own keyword for it.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { ChartHover } from './hoverData.ts';
import { pngChunk } from './pngEncoding.ts';

export interface ChartNotes {
  /** What the chart shows in words, with its key figures. */
  alt: string;
  /** Null for a chart with no line to hover (the monthly returns). */
  hover: ChartHover | null;
}

const ALT_KEYWORD = 'Description';
const HOVER_KEYWORD = 'portfolio-combiner-hover';
const SIGNATURE_BYTES = 8;
/**
 * The hover data at zlib level 1: 0.35 ms of CPU per chart against 1.13 at the default level 6
 * (50x10's 60 hover notes, 2.6 MB of JSON), for 16 % more bytes of notes (~2 kB a chart of ~250).
 */
const HOVER_DEFLATE_LEVEL = 1;
/** IEND: length, type and CRC, no data. */
const END_CHUNK_BYTES = 12;

/** The PNG with its notes as iTXt chunks before its end. */
export function withChartNotes(png: Uint8Array, notes: ChartNotes): Uint8Array {
  const chunks = [textChunk(ALT_KEYWORD, Buffer.from(notes.alt, 'utf8'), false)];
  if (notes.hover !== null) chunks.push(textChunk(HOVER_KEYWORD, deflateSync(JSON.stringify(notes.hover), { level: HOVER_DEFLATE_LEVEL }), true));
  const end = png.length - END_CHUNK_BYTES;
  return Buffer.concat([png.subarray(0, end), ...chunks, png.subarray(end)]);
}

/** A chart's notes and its PNG without them (what a page embeds); null notes for a PNG written without. */
export function chartNotes(png: Uint8Array): { image: Uint8Array; notes: ChartNotes | null } {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const kept: Buffer[] = [bytes.subarray(0, SIGNATURE_BYTES)];
  let alt: string | null = null;
  let hover: ChartHover | null = null;
  for (let at = SIGNATURE_BYTES; at + END_CHUNK_BYTES <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const next = at + END_CHUNK_BYTES + length;
    const text = type === 'iTXt' ? readText(bytes.subarray(at + 8, at + 8 + length)) : null;
    if (text?.keyword === ALT_KEYWORD) alt = text.value.toString('utf8');
    else if (text?.keyword === HOVER_KEYWORD) hover = JSON.parse(text.value.toString('utf8')) as ChartHover;
    else kept.push(bytes.subarray(at, next));
    at = next;
  }
  return { image: alt === null && hover === null ? png : Buffer.concat(kept), notes: alt === null ? null : { alt, hover } };
}

/** iTXt: keyword, NUL, compression flag and method, empty language and translated keyword (each NUL-ended), the text. */
function textChunk(keyword: string, text: Buffer, compressed: boolean): Buffer {
  return pngChunk('iTXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, compressed ? 1 : 0, 0, 0, 0]), text]));
}

function readText(data: Buffer): { keyword: string; value: Buffer } {
  const keywordEnd = data.indexOf(0);
  const compressed = data[keywordEnd + 1] === 1;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  const value = data.subarray(translatedEnd + 1);
  return { keyword: data.toString('latin1', 0, keywordEnd), value: compressed ? inflateSync(value) : value };
}
