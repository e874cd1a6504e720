/** Image-only hand boxes: MediaPipe's palm detector and hand landmark model (TFLite) and the tracking loop between them. */
package dev.egopose.detect;
