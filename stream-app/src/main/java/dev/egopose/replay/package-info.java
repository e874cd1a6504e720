/** Replays recorded takes in the Ego-Exo4D layout onto the frames topic, paced or as fast as possible. */
package dev.egopose.replay;
