/** x */ package dev.bulwark.circuitbreaker;
