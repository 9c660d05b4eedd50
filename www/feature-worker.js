// One of the page's feature workers (www/feature-pool.js): it decodes WAV files and computes
// their log-Mel spectrograms with the Rust core (web::session::analyse, the code the session
// worker itself uses), so that a drop of many files is read on every core. It keeps no state;
// the session worker stores what comes back.
import init, { analyse_wav } from './sonogan.js';

const ready = init();

self.onmessage = async ({ data: { id, name, bytes } }) => {
  try {
    await ready;
    const { samples, log_mel } = analyse_wav(name, bytes);
    self.postMessage({ id, samples, log_mel }, [samples.buffer, log_mel.buffer]);
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
};
