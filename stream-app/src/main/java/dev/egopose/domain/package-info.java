/** Value types shared by every stage: hand sides, boxes, joints, frame references. JDK only. */
package dev.egopose.domain;
