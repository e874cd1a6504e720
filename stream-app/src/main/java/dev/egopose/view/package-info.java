/** The live web view: takes and their poses as they come off the topics, served to a browser (page assets under resources). */
package dev.egopose.view;
