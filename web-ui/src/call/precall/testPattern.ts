/** A tile of noise, scaled up: every frame new, so the encoder spends bits as the link lets it. */
const tile = { width: 160, height: 90 };

/**
 * A video track for the network test that needs no camera: a 640×360 canvas of fresh noise at 15 frames a
 * second. Noise, not a still picture, because a still frame compresses to almost nothing and would measure the
 * encoder rather than the link. Stopping the track stops the drawing.
 */
export function testPatternTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const context = canvas.getContext('2d');
  const small = document.createElement('canvas');
  small.width = tile.width;
  small.height = tile.height;
  const smallContext = small.getContext('2d');
  if (!context || !smallContext) throw new Error('this browser cannot draw the network test’s video');
  context.imageSmoothingEnabled = false;
  const image = smallContext.createImageData(tile.width, tile.height);
  const draw = () => {
    crypto.getRandomValues(image.data);
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
    smallContext.putImageData(image, 0, 0);
    context.drawImage(small, 0, 0, canvas.width, canvas.height);
  };
  draw();
  const [track] = canvas.captureStream(15).getVideoTracks();
  if (!track) throw new Error('this browser cannot capture the network test’s video');
  const timer = setInterval(draw, 1000 / 15);
  const stop = track.stop.bind(track);
  track.stop = () => {
    clearInterval(timer);
    stop();
  };
  return track;
}
