/**
 * The charts' PNG encoder (issue 14 item 1): what it writes decodes, in an independent decoder
 * (pngjs) and in Skia's, to exactly the pixels drawn, so a chart's picture is the one drawn.
 */
import { loadImage } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawFigure } from '#shared/report/charts/canvas.ts';
import { encodePng } from '#shared/report/charts/pngEncoding.ts';

/** A picture with anti-aliased lines, text and flat fills: what a chart holds. */
function drawn() {
  return drawFigure(321, 123, (context) => {
    context.fillStyle = '#0072b2';
    context.fillRect(10, 10, 60, 40);
    context.strokeStyle = '#d55e00';
    context.lineWidth = 2;
    context.beginPath();
    for (let x = 0; x < 321; x += 3) context.lineTo(x, 60 + 40 * Math.sin(x / 17));
    context.stroke();
    context.fillStyle = '#222222';
    context.fillText('Equity $1,234,567', 100, 30);
  });
}

describe('encodePng', () => {
  it('decodes to every pixel as drawn', async () => {
    const picture = drawn();
    const bytes = Buffer.from(encodePng(picture.width, picture.height, picture.rgba));
    const decoded = PNG.sync.read(bytes);
    expect([decoded.width, decoded.height]).toEqual([321, 123]);
    expect(Buffer.compare(decoded.data, Buffer.from(picture.rgba))).toBe(0);
    expect((await loadImage(bytes)).width).toBe(321);
  });

  it('encodes panels one above the other as the picture of their rows in order, byte for byte', () => {
    const picture = drawn();
    const rowBytes = picture.width * 4;
    const whole = Buffer.from(encodePng(picture.width, picture.height, picture.rgba));
    const split = Buffer.from(encodePng(picture.width, picture.height, picture.rgba.subarray(0, 50 * rowBytes), picture.rgba.subarray(50 * rowBytes)));
    expect(split.equals(whole)).toBe(true);
    // A smaller picture after a larger one: nothing of the larger is left in it.
    const small = Buffer.from(encodePng(2, 1, new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255])));
    expect([...PNG.sync.read(small).data]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
  });

  it('refuses pixels that do not fill the picture', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow('a 2x2 picture needs 16 bytes of RGBA, not 15');
  });
});
