import { useEffect, useRef, useState } from 'react';
import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatRemaining, hasEnded, remainingMs, type SessionTimer } from '../../../shared/model';
import { useNow } from './use-session';

const FLASH_MS = 6_000;

/** Three short tones from Web Audio: no sound files to ship or load. */
function playEndSignal(): void {
  try {
    const context = new AudioContext();
    const start = context.currentTime + 0.05;
    for (let i = 0; i < 3; i++) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = i === 2 ? 1175 : 880;
      const at = start + i * 0.35;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.3);
    }
    window.setTimeout(() => void context.close(), 1500);
  } catch (error) {
    // No audio device or autoplay refused: the visual signal still shows.
    console.warn('timer end signal: no audio', error);
  }
}

/**
 * Remaining time of the session timer, computed on this screen from the doc state and
 * the estimated offset to the facilitator's clock. When it runs out while watched, the
 * display flashes and beeps once.
 */
export function TimerDisplay(props: { timer: SessionTimer | null; clockOffsetMs: number }) {
  const { t } = useTranslation();
  const running = props.timer?.running === true;
  const now = useNow(running) + props.clockOffsetMs;
  const left = props.timer ? remainingMs(props.timer, now) : 0;
  const ended = props.timer ? hasEnded(props.timer, now) : false;
  const [flashing, setFlashing] = useState(false);
  const wasEnded = useRef(ended);

  useEffect(() => {
    if (ended && !wasEnded.current) {
      setFlashing(true);
      playEndSignal();
      const timer = window.setTimeout(() => setFlashing(false), FLASH_MS);
      wasEnded.current = ended;
      return () => window.clearTimeout(timer);
    }
    wasEnded.current = ended;
    if (!ended) setFlashing(false);
  }, [ended]);

  if (!props.timer) return null;
  return (
    <div
      className={`session-timer${ended ? ' is-ended' : ''}${flashing ? ' is-flashing' : ''}${running ? ' is-running' : ''}`}
      data-testid="session-timer"
      data-running={running}
      role="timer"
      aria-label={ended ? t('session.timer.timeUp') : t('session.timer.label')}
    >
      <Text fw={700} ff="monospace" size="xl" data-testid="session-timer-value">
        {formatRemaining(left)}
      </Text>
      {ended && (
        <Text size="xs" fw={700} c="red" data-testid="session-time-up">
          {t('session.timer.timeUp')}
        </Text>
      )}
    </div>
  );
}
