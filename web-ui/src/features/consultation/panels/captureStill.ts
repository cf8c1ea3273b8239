import { maxAttachmentBytes } from '@telemed/shared';

/** A still image of the camera, as uploaded to the consultation's attachments. */
export interface CapturedStill {
  blob: Blob;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  /** Which way the still was taken (the e2e test and the logs say which path a browser took). */
  method: 'take-photo' | 'temporary-track' | 'raised-format';
}

/** What the DOM library types lack: the Image Capture API (Chromium, Android WebView; not Firefox or Safari). */
interface ImageCaptureLike {
  takePhoto(settings?: { imageWidth?: number; imageHeight?: number }): Promise<Blob>;
  getPhotoCapabilities(): Promise<{ imageWidth?: { max: number }; imageHeight?: { max: number } }>;
}
type ImageCaptureConstructor = new (track: MediaStreamTrack) => ImageCaptureLike;

const jpegQuality = 0.92;

/**
 * A still at the camera's FULL resolution, not a frame of the sent video (which simulcast caps at 1280×720):
 * dermatology and wound care need the detail. Three ways, best first:
 * 1. `ImageCapture.takePhoto()` at the photo capabilities' largest size, kept only when the photo really is at
 *    least the camera's largest streaming size: Chromium on Linux (V4L2, and the fake camera) answers with a
 *    frame of the current format instead of a photo.
 * 2. One frame of a temporary track opened on the same device at the largest width and height of
 *    `getCapabilities()`, drawn to a canvas (browsers that open the device again at another format).
 * 3. Chromium gives a second track on an open device the format of the first, so there the camera's own track
 *    is raised to the largest format for one frame and put back at once (the remote side sees under a second of
 *    a changed resolution; the call goes on).
 */
export async function captureStill(track: MediaStreamTrack): Promise<CapturedStill> {
  if (track.kind !== 'video' || track.readyState !== 'live') {
    throw new Error('captureStill needs a live camera track');
  }
  const largest = largestSizeOf(track);

  const ImageCapture = (globalThis as { ImageCapture?: ImageCaptureConstructor }).ImageCapture;
  if (ImageCapture) {
    const photo = await takePhoto(new ImageCapture(track)).catch(() => undefined);
    if (photo && covers(photo, largest)) return encoded(photo, 'take-photo');
    photo?.bitmap.close();
  }

  const temporary = await openTemporaryTrack(track, largest).catch(() => undefined);
  if (temporary) {
    try {
      const settings = temporary.getSettings();
      if (covers({ width: settings.width ?? 0, height: settings.height ?? 0 }, largest)) {
        return encoded(await frameOf(temporary), 'temporary-track');
      }
    } finally {
      temporary.stop();
    }
  }
  return encoded(await frameAtLargestFormat(track, largest), 'raised-format');
}

interface Size {
  width: number;
  height: number;
}

interface Picture extends Size {
  bitmap: ImageBitmap;
  /** The photo's own bytes, kept when they can be uploaded as they are. */
  blob?: Blob;
}

/** The camera's largest streaming size; its current one when the browser does not say (no `getCapabilities`). */
function largestSizeOf(track: MediaStreamTrack): Size {
  const capabilities = track.getCapabilities?.() ?? {};
  const settings = track.getSettings();
  return {
    width: capabilities.width?.max ?? settings.width ?? 0,
    height: capabilities.height?.max ?? settings.height ?? 0,
  };
}

function covers(picture: Size, largest: Size): boolean {
  return picture.width * picture.height >= largest.width * largest.height;
}

async function takePhoto(capture: ImageCaptureLike): Promise<Picture> {
  const capabilities = await capture.getPhotoCapabilities().catch(() => undefined);
  const settings =
    capabilities?.imageWidth && capabilities.imageHeight
      ? { imageWidth: capabilities.imageWidth.max, imageHeight: capabilities.imageHeight.max }
      : undefined;
  const blob = await capture.takePhoto(settings);
  const bitmap = await createImageBitmap(blob);
  return { bitmap, width: bitmap.width, height: bitmap.height, blob };
}

function openTemporaryTrack(track: MediaStreamTrack, largest: Size): Promise<MediaStreamTrack> {
  const deviceId = track.getSettings().deviceId;
  return navigator.mediaDevices
    .getUserMedia({
      video: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        width: { ideal: largest.width },
        height: { ideal: largest.height },
      },
    })
    .then((stream) => {
      const [video] = stream.getVideoTracks();
      if (!video) throw new Error('no video track');
      return video;
    });
}

async function frameAtLargestFormat(track: MediaStreamTrack, largest: Size): Promise<Picture> {
  const before = track.getConstraints();
  await track.applyConstraints({
    ...before,
    width: { ideal: largest.width },
    height: { ideal: largest.height },
  });
  try {
    return await frameOf(track);
  } finally {
    await track.applyConstraints(before).catch(() => undefined);
  }
}

/** One decoded frame of `track` at its current size, through a <video> element (every browser has one). */
async function frameOf(track: MediaStreamTrack): Promise<Picture> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  try {
    await video.play();
    const { width, height } = track.getSettings();
    // The element may still show a frame of the format before a change: wait for one of the track's size.
    const deadline = Date.now() + 5_000;
    while (
      width &&
      height &&
      (video.videoWidth !== width || video.videoHeight !== height) &&
      Date.now() < deadline
    ) {
      await nextFrame(video);
    }
    const bitmap = await createImageBitmap(video);
    return { bitmap, width: bitmap.width, height: bitmap.height };
  } finally {
    video.pause();
    video.srcObject = null;
  }
}

function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => resolve());
    else setTimeout(resolve, 50);
  });
}

/** The photo's own bytes when records takes them as they are; otherwise a JPEG of the picture. */
async function encoded(picture: Picture, method: CapturedStill['method']): Promise<CapturedStill> {
  const { bitmap, width, height } = picture;
  try {
    const type = picture.blob?.type;
    if (
      picture.blob &&
      (type === 'image/jpeg' || type === 'image/png') &&
      picture.blob.size <= maxAttachmentBytes
    ) {
      return { blob: picture.blob, contentType: type, width, height, method };
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(bitmap, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, 'image/jpeg', jpegQuality),
    );
    if (!blob) throw new Error('the still could not be encoded');
    return { blob, contentType: 'image/jpeg', width, height, method };
  } finally {
    bitmap.close();
  }
}
