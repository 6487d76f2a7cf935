import { useEffect, useState } from 'react';
import { Skeleton } from '@mantine/core';
import { toString as qrSvg } from 'qrcode';

/** A join link as a QR code: SVG from `qrcode`, shown as a data URL (the CSP allows data: images). */
export function QrCode(props: { value: string; size: number; alt: string; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Medium error correction survives a projector's glare and a phone held at an angle.
    void qrSvg(props.value, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [props.value]);
  if (!src) return <Skeleton w={props.size} h={props.size} />;
  return <img src={src} width={props.size} height={props.size} alt={props.alt} data-testid={props.testId} data-value={props.value} style={{ imageRendering: 'pixelated' }} />;
}
