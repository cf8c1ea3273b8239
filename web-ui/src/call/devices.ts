/** The cameras and microphones the device check offers. Labels are empty until the page has media permission. */
export interface MediaDevices {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
}

export async function listMediaDevices(): Promise<MediaDevices> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: devices.filter((d) => d.kind === 'videoinput'),
    microphones: devices.filter((d) => d.kind === 'audioinput'),
  };
}

export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
}

/**
 * The camera at up to 1280×720 (the top simulcast layer; the lower two are a half and a quarter of it) and the
 * microphone with the browser's echo cancellation, from the chosen devices when given.
 */
export function openLocalStream({ cameraId, microphoneId }: DeviceChoice = {}): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    video: {
      ...(cameraId ? { deviceId: { exact: cameraId } } : {}),
      width: { ideal: 1280 },
      height: { ideal: 720 },
      frameRate: { ideal: 24, max: 30 },
    },
    audio: {
      ...(microphoneId ? { deviceId: { exact: microphoneId } } : {}),
      echoCancellation: true,
      noiseSuppression: true,
    },
  });
}

/** One track of a new device, for `CallClient.switchDevice` during the call. */
export async function openDeviceTrack(kind: 'audio' | 'video', deviceId: string): Promise<MediaStreamTrack> {
  const stream = await openLocalStream(
    kind === 'video' ? { cameraId: deviceId } : { microphoneId: deviceId },
  );
  const [track] = kind === 'video' ? stream.getVideoTracks() : stream.getAudioTracks();
  for (const other of stream.getTracks()) if (other !== track) other.stop();
  if (!track) throw new Error(`no ${kind} track from device ${deviceId}`);
  return track;
}

/**
 * The microphone's level for the device check's meter: 0..1, the RMS of the signal through a Web Audio
 * AnalyserNode, read when asked (e.g. every animation frame). `close()` releases the audio context.
 */
export class MicrophoneLevelMeter {
  readonly #context: AudioContext;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;

  constructor(stream: MediaStream) {
    this.#context = new AudioContext();
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 512;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#context.createMediaStreamSource(stream).connect(this.#analyser);
  }

  level(): number {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    // Speech sits around an RMS of 0.02-0.2; scaled so that normal speech fills most of the meter.
    return Math.min(1, Math.sqrt(sum / this.#samples.length) * 5);
  }

  close(): Promise<void> {
    return this.#context.close();
  }
}
