#!/bin/busybox   echo   two  words  
